namespace Repro.Checks.Lint;

/// <summary>Which rules run and with which interpreter; built by <see cref="LintSettings"/>.</summary>
public sealed record LintOptions
{
    /// <summary>Rule ids or prefixes to run ("DET", "LEAK001"); empty means every rule.</summary>
    public IReadOnlyList<string> Select { get; init; } = [];

    /// <summary>Rule ids or prefixes never reported.</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>The interpreter that parses, as given (a path or a name looked up on PATH).</summary>
    public string Python { get; init; } = "python3";

    /// <summary>Where the settings came from, e.g. "defaults &lt; repro.yaml &lt; flags".</summary>
    public string Source { get; init; } = "defaults";

    public bool Enabled(string ruleId)
    {
        static bool Matches(IEnumerable<string> patterns, string id) =>
            patterns.Any(p => id.StartsWith(p, StringComparison.OrdinalIgnoreCase));

        return (Select.Count == 0 || Matches(Select, ruleId)) && !Matches(Ignore, ruleId);
    }
}
