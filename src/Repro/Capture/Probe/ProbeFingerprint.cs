namespace Repro.Capture.Probe;

/// <summary>A value as the trace holds it: its kind, dtype and shape, and a SHA-256 over them and its bytes (never the values).</summary>
public sealed record ProbeFingerprint
{
    /// <summary>ndarray, dataframe, series, tensor, sparse, state (an estimator's fitted state), params, scalar, list, dict, object.</summary>
    public required string Kind { get; init; }

    public string? Dtype { get; init; }

    public IReadOnlyList<long> Shape { get; init; } = [];

    public required string Sha256 { get; init; }

    /// <summary>Only the first budget bytes were hashed.</summary>
    public bool Partial { get; init; }

    /// <summary>For a fitted state: each learned attribute's own hash (first 16 hex digits).</summary>
    public IReadOnlyDictionary<string, string> Parts { get; init; } = new Dictionary<string, string>();

    /// <summary>Set when the value was compared by its type only (an iterator, an unknown object).</summary>
    public string? Opaque { get; init; }
}
