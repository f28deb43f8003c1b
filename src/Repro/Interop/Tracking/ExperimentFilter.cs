using System.Text.RegularExpressions;

namespace Repro.Interop.Tracking;

/// <summary>
/// The filters experiments/search takes on names and tags (<c>name LIKE 'x%' AND tags.team = 'a'</c>),
/// evaluated in memory: a workspace has few experiments.
/// </summary>
public static partial class ExperimentFilter
{
    public static Func<MlflowExperiment, bool> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return _ => true;
        }

        var tests = new List<Func<MlflowExperiment, bool>>();
        foreach (var clause in AndPattern().Split(filter.Trim()))
        {
            var match = ClausePattern().Match(clause);
            if (!match.Success)
            {
                throw TrackingException.Invalid($"Invalid filter '{filter}': expected clauses like name = 'x', name LIKE 'x%' or tags.key = 'v' joined by AND");
            }

            var key = match.Groups["key"].Value;
            var tag = match.Groups["tag"].Success ? Unquote(match.Groups["tag"].Value) : null;
            var op = match.Groups["op"].Value.ToUpperInvariant();
            var value = match.Groups["value"].Value;
            Func<string?, bool> compare = op switch
            {
                "=" => v => v == value,
                "!=" => v => v is not null && v != value,
                "LIKE" => v => v is not null && Like(value, false).IsMatch(v),
                _ => v => v is not null && Like(value, true).IsMatch(v),
            };
            tests.Add(tag is null
                ? key.EndsWith("name", StringComparison.OrdinalIgnoreCase) ? e => compare(e.Name) : e => compare(e.ExperimentId)
                : e => compare(e.Tags.GetValueOrDefault(tag)));
        }

        return e => tests.All(t => t(e));
    }

    /// <summary>SQL LIKE as a regex: % any run, _ one character.</summary>
    internal static Regex Like(string pattern, bool ignoreCase)
    {
        var regex = "^" + Regex.Escape(pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$";
        return new Regex(regex, (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None) | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private static string Unquote(string key) => key.Length >= 2 && key[0] is '`' or '"' ? key[1..^1] : key;

    [GeneratedRegex(@"\s+AND\s+", RegexOptions.IgnoreCase)]
    private static partial Regex AndPattern();

    [GeneratedRegex(@"^\s*(?:(?<key>(?:attributes?\.|attr\.)?(?:name|experiment_id))|tags?\.(?<tag>`[^`]+`|""[^""]+""|[\w.\-/]+))\s*(?<op>=|!=|LIKE|ILIKE)\s*(?<q>['""])(?<value>.*)\k<q>\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex ClausePattern();
}
