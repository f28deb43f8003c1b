namespace Repro.Model;

/// <summary>PyTorch's determinism switches as the run left them.</summary>
public sealed record ProbeTorch
{
    public string? Version { get; init; }

    public bool DeterministicAlgorithms { get; init; }

    public bool CudnnDeterministic { get; init; }

    public bool CudnnBenchmark { get; init; }

    public int? NumThreads { get; init; }

    public bool Cuda { get; init; }
}
