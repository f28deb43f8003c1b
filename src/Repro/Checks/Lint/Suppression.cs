using System.Text.RegularExpressions;

namespace Repro.Checks.Lint;

/// <summary><c># repro: ignore</c> (every rule) or <c># repro: ignore[DET006, LEAK001]</c> on a finding's line.</summary>
public static partial class Suppression
{
    public static bool Silences(string? comment, string ruleId)
    {
        if (comment is null)
        {
            return false;
        }

        foreach (Match match in Pattern().Matches(comment))
        {
            if (!match.Groups[1].Success)
            {
                return true;
            }

            var ids = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (ids.Any(id => string.Equals(id, ruleId, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"repro:\s*ignore(?:\[([^\]]*)\])?", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
