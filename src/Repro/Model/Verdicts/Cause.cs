namespace Repro.Model.Verdicts;

/// <summary>A likely reason two results differ, ranked by how often it is the culprit.</summary>
public sealed record Cause(CausePillar Pillar, string Detail);
