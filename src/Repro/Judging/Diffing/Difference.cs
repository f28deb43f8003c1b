namespace Repro.Judging.Diffing;

/// <summary>One thing that differs between two runs: its name and both values (null = absent).</summary>
public sealed record Difference(string Key, string? A, string? B);
