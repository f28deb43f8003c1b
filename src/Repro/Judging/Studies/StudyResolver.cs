using Repro.Blobs.Storage;
using Repro.Recording;

namespace Repro.Judging.Studies;

/// <summary>
/// Finds a study from what a user types: a study's id, prefix or <c>@last</c>, or a name whose
/// newest study it is (so <c>repro compare baseline tuned</c> works after <c>repro seeds baseline</c>
/// even if a plain run of that name came later).
/// </summary>
public static class StudyResolver
{
    public static async Task<StoredRun> ResolveAsync(IRunStore store, string text, CancellationToken cancellationToken)
    {
        var id = await RunResolver.ResolveAsync(store, text, cancellationToken);
        var run = await store.GetAsync(id, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{text}'");
        if (run.Manifest.Kind == "study")
        {
            return run;
        }

        var named = await store.ListAsync(new RunQuery { Name = text, Limit = 0 }, cancellationToken);
        if (named.FirstOrDefault(r => r.Kind == "study") is { } study)
        {
            return await store.GetAsync(study.Id, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{text}'");
        }

        var label = run.Manifest.Name is null ? run.Manifest.Id[..8] : $"{run.Manifest.Id[..8]} ({run.Manifest.Name})";
        throw ReproException.Usage($"'{text}' is run {label}, not a study: run `repro seeds {text} -n 5` first");
    }
}
