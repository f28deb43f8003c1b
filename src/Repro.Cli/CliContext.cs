using Repro.Model.Workspaces;

namespace Repro.Cli;

/// <summary>
/// Everything a command may know of the process that runs it: the output writers (and whether each
/// is a terminal), the environment variables, the working folder, interrupts, the clock, the tokens
/// after "--" and the workspace services built on them. Commands read nothing else (no
/// <c>Environment</c>, no current directory, no <c>Console</c>), so the app runs in process as it
/// runs natively, several invocations side by side.
/// </summary>
public sealed record CliContext
{
    private static readonly HashSet<string> TrailingCommands = new(StringComparer.Ordinal) { "run", "seeds" };

    /// <summary>A context with no environment, rooted at the process's folder: enough to build the commands (help, docs).</summary>
    public CliContext(TextWriter stdout, TextWriter stderr, IReadOnlyList<string> trailing)
        : this(stdout, stderr, new Dictionary<string, string>(StringComparer.Ordinal), Path.GetFullPath("."))
    {
        Trailing = trailing;
    }

    public CliContext(TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        Out = stdout;
        Error = stderr;
        OutStream = new WriterStream(stdout);
        ErrorStream = new WriterStream(stderr);
        Environment = environment;
        WorkingDirectory = Path.GetFullPath(workingDirectory);
    }

    public TextWriter Out { get; init; }

    public TextWriter Error { get; init; }

    /// <summary>Standard input (empty unless the host gives one).</summary>
    public TextReader In { get; init; } = TextReader.Null;

    /// <summary>Standard output as bytes: a child's output is copied through unchanged.</summary>
    public Stream OutStream { get; init; }

    /// <summary>Standard error as bytes.</summary>
    public Stream ErrorStream { get; init; }

    public bool OutIsTerminal { get; init; }

    public bool ErrorIsTerminal { get; init; }

    /// <summary>The environment variables of this invocation; a recorded run's command gets them.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>The folder the command was started in: relative paths the user gives are relative to it.</summary>
    public string WorkingDirectory { get; init; }

    public Interrupts Interrupts { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>This process, as other processes see it (the tracking server file, orphaned-run checks).</summary>
    public int ProcessId { get; init; } = System.Environment.ProcessId;

    public string MachineName { get; init; } = System.Environment.MachineName;

    /// <summary>How to start this same repro on another machine (a Slurm node); null when the host cannot tell.</summary>
    public IReadOnlyList<string>? Launcher { get; init; } = Repro.Execution.ReproLauncher.Current();

    /// <summary>The user's command line, everything after the first "--".</summary>
    public IReadOnlyList<string> Trailing { get; init; } = [];

    /// <summary>Colour on stderr: a terminal, and NO_COLOR not set.</summary>
    public bool ErrorColour => ErrorIsTerminal && Variable("NO_COLOR") is null;

    /// <summary>Colour on stdout: a terminal, and NO_COLOR not set.</summary>
    public bool OutColour => OutIsTerminal && Variable("NO_COLOR") is null;

    public static bool AcceptsTrailing(string command) => TrailingCommands.Contains(command);

    public string? Variable(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>A copy of the environment, for a command about to be run (its own variables are added to the copy).</summary>
    public Dictionary<string, string> EnvironmentCopy() => new(Environment, StringComparer.Ordinal);

    /// <summary>A path the user gave, made absolute against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>The workspace around the working folder, or null outside one.</summary>
    public Workspace? FindWorkspace() => Workspace.Find(WorkingDirectory);

    /// <summary>The workspace around the working folder; outside one, the usual "run repro init" error.</summary>
    public Workspace RequireWorkspace() => Workspace.Require(WorkingDirectory);

    /// <summary>The workspace with its run store open.</summary>
    public Task<WorkspaceSession> OpenWorkspaceAsync(CancellationToken cancellationToken) => WorkspaceSession.OpenAsync(this, cancellationToken);

    /// <summary>The workspace at once, its store opening on another thread (see <see cref="WorkspaceSession.OpenInBackground"/>).</summary>
    public WorkspaceSession OpenWorkspaceInBackground(CancellationToken cancellationToken) => WorkspaceSession.OpenInBackground(this, cancellationToken);

    /// <summary>The workspace and its cache, without the run store.</summary>
    public DataSession OpenData() => DataSession.Open(this);
}
