namespace Repro.Execution;

/// <summary>What to start: a resolved executable, its arguments, where, and its whole environment.</summary>
public sealed record ChildProcessSpec
{
    public required string Executable { get; init; }

    public required IReadOnlyList<string> Arguments { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Bytes of stdout and of stderr kept for the record (the terminal sees everything).</summary>
    public long CaptureCapBytes { get; init; } = 16L << 20;
}
