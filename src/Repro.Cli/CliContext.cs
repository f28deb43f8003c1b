namespace Repro.Cli;

/// <summary>What every command needs from the process: output writers and the tokens after "--".</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, string[] trailing)
{
    private static readonly HashSet<string> TrailingCommands = new(StringComparer.Ordinal) { "run", "seeds" };

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>The user's command line, everything after the first "--".</summary>
    public IReadOnlyList<string> Trailing { get; } = trailing;

    public TimeProvider Time { get; } = TimeProvider.System;

    public static bool AcceptsTrailing(string command) => TrailingCommands.Contains(command);
}
