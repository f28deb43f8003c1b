namespace Repro.Capture.Probe;

/// <summary>One traced call (fit, transform, predict, a split, an optimizer step, a checkpoint) with the fingerprints of what went in and came out.</summary>
public sealed record ProbeCall
{
    /// <summary>The process, numbered in order of its first event (0: the command itself).</summary>
    public int Process { get; init; }

    /// <summary>The call's place among its process's calls, in the order they completed.</summary>
    public int Position { get; init; }

    /// <summary><c>MLPClassifier.fit</c>, <c>train_test_split</c>, <c>KFold.split</c>, <c>SGD.step</c>, <c>checkpoint:NAME</c>.</summary>
    public required string Call { get; init; }

    public string? Class { get; init; }

    /// <summary>0 for a call the script made; more for one made inside another traced call.</summary>
    public int Depth { get; init; }

    public IReadOnlyList<KeyValuePair<string, ProbeFingerprint>> Inputs { get; init; } = [];

    public IReadOnlyList<ProbeFingerprint> Outputs { get; init; } = [];

    /// <summary>An estimator's fitted state after a fit.</summary>
    public ProbeFingerprint? State { get; init; }

    /// <summary>The estimator's or splitter's random_state as text ("None" when unseeded); null when it has none.</summary>
    public string? RandomState { get; init; }

    public int? Fold { get; init; }

    public int? Step { get; init; }

    /// <summary>The call as people read it: <c>KFold.split (fold 2)</c>, <c>SGD.step (step 200)</c>.</summary>
    public string Label => Fold is { } fold ? $"{Call} (fold {fold})" : Step is { } step ? $"{Call} (step {step})" : Call;
}
