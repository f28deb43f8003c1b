using Repro.Model.Verdicts;

namespace Repro.Judging.Diffing;

/// <summary>Two runs compared pillar by pillar, with the likely causes of any result change ranked.</summary>
public sealed record RunDifference
{
    public required string A { get; init; }

    public required string B { get; init; }

    public required CodeDifference Code { get; init; }

    public IReadOnlyList<Difference> Data { get; init; } = [];

    public IReadOnlyList<Difference> Params { get; init; } = [];

    /// <summary>Seeds of A and B when they differ (or either is unset), else null.</summary>
    public Difference? Seed { get; init; }

    public IReadOnlyList<Difference> Packages { get; init; } = [];

    public IReadOnlyList<Difference> Hardware { get; init; } = [];

    public IReadOnlyList<Difference> Threads { get; init; } = [];

    public IReadOnlyList<Difference> Env { get; init; } = [];

    public IReadOnlyList<Difference> Command { get; init; } = [];

    public IReadOnlyList<Difference> Outputs { get; init; } = [];

    public IReadOnlyList<MetricDifference> Metrics { get; init; } = [];

    /// <summary>What the two runs printed (stdout, stderr), compared line by line; empty when not asked for.</summary>
    public IReadOnlyList<PrintedJudgement> Printed { get; init; } = [];

    public IReadOnlyList<Cause> Causes { get; init; } = [];

    /// <summary>True when no pillar (code, data, params, seed, environment) differs.</summary>
    public bool PillarsSame { get; init; }
}
