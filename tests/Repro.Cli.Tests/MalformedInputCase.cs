namespace Repro.Cli.Tests;

/// <summary>
/// One malformed input and how the real repro must end on it: the file is put at
/// <see cref="Target"/> in a fresh workspace (when <see cref="Init"/>) and <see cref="Args"/> run;
/// a recorded case must exit 0 with a warning and one run, a refused one exit with one of
/// <see cref="ExitCodes"/> and record nothing.
/// </summary>
public sealed record MalformedInputCase
{
    public required string Name { get; init; }

    /// <summary>The file's bytes, from the corpus or made at test time.</summary>
    public required Func<byte[]> Content { get; init; }

    public required string Target { get; init; }

    public required IReadOnlyList<string> Args { get; init; }

    public bool Init { get; init; } = true;

    /// <summary>The run is still recorded (a run's metrics or step log), with a warning.</summary>
    public bool Recorded { get; init; }

    public IReadOnlyList<int> ExitCodes { get; init; } = [2];

    /// <summary>The command reports the file as a finding (repro lint: exit 1) instead of refusing it.</summary>
    public bool Finding { get; init; }

    /// <summary>Files written beside it before the command (a good split for repro leak).</summary>
    public IReadOnlyDictionary<string, string> Beside { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment for the command (a lowered limit).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public override string ToString() => Name;
}
