namespace Repro.Model;

/// <summary>What repro set in the child's environment to make the run repeatable.</summary>
public sealed record DeterminismProfile
{
    public bool Enabled { get; init; }

    /// <summary>Variables repro set for the child (seed and determinism), name to value.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}
