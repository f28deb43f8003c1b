namespace Repro.Judging.Diffing;

/// <summary>
/// A fitted estimator's parameter that differs between two runs. <see cref="ChangedDefault"/>
/// marks one left at its default in both whose default itself differs: a library release changed it.
/// </summary>
public sealed record EstimatorParameterDifference(string Estimator, string Parameter, string? A, string? B, bool ChangedDefault);
