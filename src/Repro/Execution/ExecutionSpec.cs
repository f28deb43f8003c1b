namespace Repro.Execution;

/// <summary>One command for an executor: the process to start plus what it may touch.</summary>
public sealed record ExecutionSpec
{
    /// <summary>The command as the user gave it (after {seed} substitution), first word unresolved.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The command resolved on this machine's PATH (local and sandbox use it; container resolves inside the image).</summary>
    public required ChildProcessSpec Process { get; init; }

    /// <summary>The workspace root: mounted (read-only for sandbox) wherever the command runs.</summary>
    public required string WorkspaceRoot { get; init; }

    /// <summary>Absolute paths the command may write: declared outs, metrics files, repro's metrics log.</summary>
    public IReadOnlyList<string> WritablePaths { get; init; } = [];

    /// <summary>Absolute paths mounted read-only besides the workspace (the content cache).</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = [];

    /// <summary>
    /// The Python interpreter whose packages the environment pillar records (as given: a name
    /// looked up on the command's PATH, or a path); null when the command is not Python. An
    /// executor that probes its machine itself (<see cref="IRemoteExecutor"/>) probes it there.
    /// </summary>
    public string? Python { get; init; }
}
