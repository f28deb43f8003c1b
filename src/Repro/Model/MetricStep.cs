namespace Repro.Model;

public sealed record MetricStep(long Step, double Value);
