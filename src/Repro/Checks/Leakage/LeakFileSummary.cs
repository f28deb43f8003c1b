namespace Repro.Checks.Leakage;

/// <summary>One input file as read: its path, separator, data rows and bytes.</summary>
public sealed record LeakFileSummary
{
    public required string Path { get; init; }

    public required string Separator { get; init; }

    public required long Rows { get; init; }

    public required long Bytes { get; init; }
}
