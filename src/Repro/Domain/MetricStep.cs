namespace Repro.Domain;

public sealed record MetricStep(long Step, double Value);
