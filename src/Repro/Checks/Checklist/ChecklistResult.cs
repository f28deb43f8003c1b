namespace Repro.Checks.Checklist;

/// <summary>The checklist for one run and the reproducibility level its evidence reaches.</summary>
public sealed record ChecklistResult
{
    public required string Run { get; init; }

    public required string RunDigest { get; init; }

    public required IReadOnlyList<ChecklistItem> Items { get; init; }

    public required ReproducibilityLevel Level { get; init; }

    /// <summary>"R4 Experiment": the level with Gundersen's name.</summary>
    public required string LevelName { get; init; }

    /// <summary>The items that would raise the level, next level first; empty at R4.</summary>
    public required IReadOnlyList<string> ToRaise { get; init; }

    public static string NameOf(ReproducibilityLevel level) => level switch
    {
        ReproducibilityLevel.R1 => "R1 Description",
        ReproducibilityLevel.R2 => "R2 Code",
        ReproducibilityLevel.R3 => "R3 Data",
        _ => "R4 Experiment",
    };

    /// <summary>Parses "R3", "r3" or "3".</summary>
    public static ReproducibilityLevel ParseLevel(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('R') || trimmed.StartsWith('r'))
        {
            trimmed = trimmed[1..];
        }

        return trimmed is "1" or "2" or "3" or "4"
            ? (ReproducibilityLevel)(trimmed[0] - '0')
            : throw ReproException.Usage($"unknown level '{text}': use R1, R2, R3 or R4");
    }
}
