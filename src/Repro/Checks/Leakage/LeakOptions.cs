namespace Repro.Checks.Leakage;

/// <summary>What to check: the two files and the roles of their columns.</summary>
public sealed record LeakOptions
{
    public required string TrainPath { get; init; }

    public required string TestPath { get; init; }

    /// <summary>The folder relative paths are read from (the caller's working folder); reports show the paths as given.</summary>
    public string? BaseDirectory { get; init; }

    public string? Target { get; init; }

    /// <summary>Identifier columns: never compared, never features.</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    public string? Group { get; init; }

    public string? Time { get; init; }

    /// <summary>Columns left out of every check.</summary>
    public IReadOnlyList<string> Ignore { get; init; } = [];

    /// <summary>The field separator; null to sniff each file's.</summary>
    public byte? Separator { get; init; }

    public LeakThresholds Thresholds { get; init; } = LeakThresholds.Default;

    /// <summary>Example rows or values per finding.</summary>
    public int MaxExamples { get; init; } = 5;
}
