namespace Repro.Judging.Diffing;

/// <summary>A metric in either run, with the change from A to B.</summary>
public sealed record MetricDifference(string Key, double? A, double? B, double? Delta);
