namespace Repro.Model;

/// <summary>
/// What the in-process probe saw of a Python run: the seeds it set (or the RNG start states it
/// found), every fitted estimator's parameters with the defaults marked, the thread pools and
/// PyTorch switches that ran, and the trace of fingerprints itself, kept in the cache.
/// </summary>
public sealed record ProbeRecord
{
    /// <summary>Optimizer steps between two fingerprints of a PyTorch model's parameters, unless <c>--probe-every</c> says otherwise: keeps the trace small.</summary>
    public const int DefaultEvery = 100;

    /// <summary>The trace (JSON lines, one event each) in the content cache; null when the command wrote none.</summary>
    public BlobRef? Trace { get; init; }

    /// <summary>Events kept in the trace, all processes together.</summary>
    public int Events { get; init; }

    /// <summary>Calls traced (fit, transform, predict, splits, optimizer steps, checkpoints).</summary>
    public int Calls { get; init; }

    /// <summary>Python processes that loaded the probe (the command and its children).</summary>
    public int Processes { get; init; }

    /// <summary>Events past the trace's bounds (events and bytes per process), not kept.</summary>
    public long DroppedEvents { get; init; }

    public long DroppedBytes { get; init; }

    /// <summary>Fingerprints of values larger than the budget: they cover the first <see cref="BudgetBytes"/> only.</summary>
    public int PartialFingerprints { get; init; }

    /// <summary>Bytes of one value fingerprinted at most.</summary>
    public long BudgetBytes { get; init; }

    /// <summary>Optimizer steps between two fingerprints of a PyTorch model's parameters.</summary>
    public int Every { get; init; } = DefaultEvery;

    /// <summary>The global RNGs seeded from <c>--seed</c>, as each library was first imported.</summary>
    public IReadOnlyList<ProbeSeed> Seeded { get; init; } = [];

    /// <summary>Without <c>--seed</c>: a SHA-256 of each global RNG's state when its library was imported.</summary>
    public IReadOnlyList<ProbeRngStart> RngStarts { get; init; } = [];

    public IReadOnlyList<ProbeEstimator> Estimators { get; init; } = [];

    public IReadOnlyList<ProbeThreadPool> ThreadPools { get; init; } = [];

    public ProbeTorch? Torch { get; init; }

    /// <summary>Parameters the script logged with <c>repro.log_param</c>.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
