namespace Repro.Model.Verdicts;

/// <summary>A mask of volatile printed text that was in force for a verification: its name, pattern and where it came from.</summary>
public sealed record MaskInForce(string Name, string Pattern, string Source);
