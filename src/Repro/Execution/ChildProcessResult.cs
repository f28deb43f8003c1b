namespace Repro.Execution;

public sealed record ChildProcessResult
{
    public required int ExitCode { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public required double WallSeconds { get; init; }

    public double? CpuSeconds { get; init; }

    public long? PeakRssBytes { get; init; }

    public bool Cancelled { get; init; }

    public required BoundedCapture Stdout { get; init; }

    public required BoundedCapture Stderr { get; init; }
}
