
namespace Repro.Model.Verdicts;

/// <summary>With --in-place: whether an input still hashes as it did when the run was recorded.</summary>
public sealed record InputCheck(string Path, string? Recorded, string? Current, Verdict Verdict);
