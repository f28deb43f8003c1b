namespace Repro.Model;

/// <summary>How the command ran: argv, where, when, how long, how much, and how it ended.</summary>
public sealed record ExecutionRecord
{
    /// <summary>The argv as given by the user, before seed substitution.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The argv the child actually received ({seed} replaced).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Resolved path of the executable that ran.</summary>
    public string? Executable { get; init; }

    /// <summary>Working directory relative to the workspace root ("." for the root).</summary>
    public required string WorkingDir { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }

    public double WallSeconds { get; init; }

    public double? CpuSeconds { get; init; }

    /// <summary>Peak resident memory of the process tree in bytes (see README for how it is measured).</summary>
    public long? PeakRssBytes { get; init; }

    public int ExitCode { get; init; }

    public bool Cancelled { get; init; }

    public required CapturedOutput Stdout { get; init; }

    public required CapturedOutput Stderr { get; init; }

    public string Executor { get; init; } = "local";

    /// <summary>The captured copy of one stream by name: "stdout" or "stderr".</summary>
    public CapturedOutput Stream(string name) => name switch
    {
        "stdout" => Stdout,
        "stderr" => Stderr,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "a stream is stdout or stderr"),
    };
}
