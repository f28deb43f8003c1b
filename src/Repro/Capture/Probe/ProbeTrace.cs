using Repro.Model;

namespace Repro.Capture.Probe;

/// <summary>A trace read back: the summary the manifest keeps, every traced call, and what the probe reported as going wrong.</summary>
public sealed record ProbeTrace
{
    public required ProbeRecord Record { get; init; }

    public IReadOnlyList<ProbeCall> Calls { get; init; } = [];

    /// <summary>Each process's RNG start states (library → state hash), by process number.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> RngStarts { get; init; } = [];

    /// <summary>Failures inside the probe: each becomes a warning on the run.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Lines that were not whole JSON events (the last line of a killed run).</summary>
    public int Malformed { get; init; }
}
