using Repro.Blobs.Storage;

namespace Repro.Recording;

/// <summary>
/// Turns what a user types into a run id: a full id, a run name (its newest run that is not a
/// seed study, else its newest study), a unique id prefix of four or more characters, or <c>@last</c>.
/// </summary>
public static class RunResolver
{
    public static async Task<string> ResolveAsync(IRunStore store, string text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ReproException.Usage("no run given");
        }

        if (text == RunId.Last)
        {
            var last = await store.ListAsync(new RunQuery { Limit = 1 }, cancellationToken);
            return last.Count > 0 ? last[0].Id : throw ReproException.NotFound("there are no runs yet (@last)");
        }

        if (await store.GetAsync(text, cancellationToken) is not null)
        {
            return text;
        }

        // A seed study takes the name of the run it studied; the name still means the newest plain
        // run (`repro study` and `repro compare` find the study by the same name).
        var named = await store.ListAsync(new RunQuery { Name = text, Limit = 20 }, cancellationToken);
        if (named.Count > 0)
        {
            return (named.FirstOrDefault(r => r.Kind != "study") ?? named[0]).Id;
        }

        if (text.Length >= RunId.MinimumPrefix && RunId.IsHex(text))
        {
            var matches = await store.FindByPrefixAsync(text, 6, cancellationToken);
            if (matches.Count == 1)
            {
                return matches[0];
            }

            if (matches.Count > 1)
            {
                throw ReproException.Usage($"run prefix '{text}' is ambiguous: {string.Join(", ", matches.Take(5))}{(matches.Count > 5 ? ", ..." : string.Empty)}");
            }
        }

        var hint = RunId.IsHex(text) && text.Length < RunId.MinimumPrefix ? $" (an id prefix needs at least {RunId.MinimumPrefix} characters)" : string.Empty;
        throw ReproException.NotFound($"unknown run '{text}'{hint}: see `repro runs`");
    }
}
