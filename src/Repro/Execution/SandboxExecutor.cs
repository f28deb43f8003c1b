using System.Diagnostics;
using Repro.Capture;
using Repro.Model;

namespace Repro.Execution;

/// <summary>
/// Runs the command in a bubblewrap sandbox, for re-running someone else's code without giving
/// it your machine: no network (its own namespace with only loopback), everything read-only
/// except the declared outputs and metrics files, a private /tmp, its own pid namespace, and
/// killed when repro dies.
/// </summary>
/// <remarks>
/// Outputs are bind-mounted, so each must exist before the command starts: a missing file output
/// is created empty (in a folder that does not exist yet, the folder is created and bound); a
/// path ending in '/' is created as a folder. Placeholders the command did not touch are removed
/// afterwards, so an output it never wrote is still recorded as not produced. Because a bind
/// mount cannot be replaced, the command cannot rename another file over a declared output.
/// </remarks>
public sealed class SandboxExecutor : IExecutor
{
    /// <summary>What the sandbox isolates, as the environment pillar records it.</summary>
    public static IReadOnlyDictionary<string, string> Isolation { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["network"] = "own namespace, loopback only",
        ["filesystem"] = "read-only except declared outputs and metrics files",
        ["tmp"] = "private tmpfs",
        ["pid"] = "own namespace",
        ["ipc"] = "own namespace",
        ["cache"] = "read-only",
        ["session"] = "new session (no terminal injection)",
    };

    // One probe per repro process, shared by every sandbox it creates: starts two bwrap processes (about 30 ms).
    private static readonly Lazy<Task<(string? Version, string? Problem)>> Probe = new(ProbeAsync);

    private readonly string _bwrap;
    private string? _version;

    private SandboxExecutor(string bwrap) => _bwrap = bwrap;

    public string Name => "sandbox";

    /// <summary>Finds bwrap (exit 3 saying how to install it when missing).</summary>
    public static SandboxExecutor Create() => new(FindBwrap() ?? throw ReproException.CannotExecute(
        "the sandbox executor needs bubblewrap, and bwrap is not on PATH: install it with `apt-get install bubblewrap`"));

    public async Task PrepareAsync(ExecutionSpec spec, CancellationToken cancellationToken)
    {
        var (version, problem) = await Probe.Value.WaitAsync(cancellationToken);
        if (problem is not null)
        {
            throw ReproException.CannotExecute($"bwrap cannot create a sandbox on this machine: {problem}");
        }

        _version = version;
        RequireExecutable(spec);
    }

    public async Task<ChildProcessResult> RunAsync(ExecutionSpec spec, Stream stdoutSink, Stream stderrSink, TimeProvider time, CancellationToken cancellationToken)
    {
        RequireExecutable(spec);
        var placeholders = new List<Placeholder>();
        try
        {
            var arguments = Arguments(spec, placeholders);
            var process = spec.Process with { Executable = _bwrap, Arguments = arguments };
            return await StartOnOwnThread(() => ProcessRunner.RunAsync(process, stdoutSink, stderrSink, time, cancellationToken));
        }
        finally
        {
            foreach (var placeholder in placeholders)
            {
                placeholder.RemoveIfUntouched();
            }
        }
    }

    /// <summary>
    /// --die-with-parent kills the sandbox when the thread that started bwrap ends (Linux ties
    /// PR_SET_PDEATHSIG to the forking thread, not the process), and a thread-pool thread may
    /// retire mid-run. So bwrap is started from a thread of its own that lives until the run ends.
    /// </summary>
    private static Task<ChildProcessResult> StartOnOwnThread(Func<Task<ChildProcessResult>> run)
    {
        var done = new TaskCompletionSource<ChildProcessResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(run().GetAwaiter().GetResult());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "repro sandbox",
        };
        thread.Start();
        return done.Task;
    }

    public ExecutorInfo Describe() => new()
    {
        Name = Name,
        Details = new SortedDictionary<string, string>(Isolation.ToDictionary(), StringComparer.Ordinal)
        {
            ["tool"] = "bubblewrap",
            ["version"] = _version ?? "unknown",
        },
    };

    private static List<string> Arguments(ExecutionSpec spec, List<Placeholder> placeholders)
    {
        var args = new List<string>
        {
            "--die-with-parent", "--new-session", "--unshare-net", "--unshare-pid", "--unshare-ipc",
            "--ro-bind", "/", "/",
            "--dev", "/dev",
            "--proc", "/proc",
            "--tmpfs", "/tmp",
        };

        // Bound again after the private /tmp, so a workspace or cache under /tmp stays visible.
        var workspace = Path.GetFullPath(spec.WorkspaceRoot);
        args.AddRange(["--ro-bind", workspace, workspace]);
        foreach (var path in spec.ReadOnlyPaths.Select(p => Path.GetFullPath(p)).Where(p => File.Exists(p) || Directory.Exists(p)))
        {
            args.AddRange(["--ro-bind", path, path]);
        }

        // Outer folders first: a metrics file inside a declared output folder is bound inside it.
        var writable = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in spec.WritablePaths)
        {
            writable.Add(MakeBindable(path, placeholders));
        }

        foreach (var path in writable.OrderBy(p => p.Length))
        {
            args.AddRange(["--bind", path, path]);
        }

        args.AddRange(["--chdir", spec.Process.WorkingDirectory, "--", spec.Process.Executable]);
        args.AddRange(spec.Process.Arguments);
        return args;
    }

    /// <summary>Makes <paramref name="given"/> exist so it can be bound, and returns the path to bind.</summary>
    private static string MakeBindable(string given, List<Placeholder> placeholders)
    {
        var path = Path.GetFullPath(given);
        if (File.Exists(path) || Directory.Exists(path))
        {
            return Path.TrimEndingDirectorySeparator(path);
        }

        if (Path.EndsInDirectorySeparator(path))
        {
            path = Path.TrimEndingDirectorySeparator(path);
            var top = TopmostMissing(path);
            Directory.CreateDirectory(path);
            placeholders.Add(Placeholder.ForFolder(top));
            return path;
        }

        var parent = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(parent))
        {
            // A folder of its own that nothing else uses yet: the command may write anything in it.
            var top = TopmostMissing(parent);
            Directory.CreateDirectory(parent);
            placeholders.Add(Placeholder.ForFolder(top));
            return top;
        }

        using (File.Create(path))
        {
        }

        placeholders.Add(Placeholder.ForFile(path));
        return path;
    }

    private static string TopmostMissing(string path)
    {
        var top = path;
        for (var parent = Path.GetDirectoryName(top); parent is not null && !Directory.Exists(parent); parent = Path.GetDirectoryName(parent))
        {
            top = parent;
        }

        return top;
    }

    private static void RequireExecutable(ExecutionSpec spec)
    {
        if (ExecutableResolver.Find(spec.Process.Executable, null) is null)
        {
            throw ReproException.CannotExecute($"cannot start {spec.Process.Executable}: not found or not executable");
        }
    }

    private static string? FindBwrap() => ExecutableResolver.Find("bwrap", Environment.GetEnvironmentVariable("PATH"));

    private static async Task<(string? Version, string? Problem)> ProbeAsync()
    {
        var bwrap = FindBwrap();
        if (bwrap is null)
        {
            return (null, "bwrap not found: install it with `apt-get install bubblewrap`");
        }

        var (versionExit, versionText) = await RunQuietAsync(bwrap, ["--version"]);
        var version = versionExit == 0 ? versionText.Replace("bubblewrap", string.Empty, StringComparison.Ordinal).Trim() : null;
        var (exit, output) = await RunQuietAsync(bwrap, ["--unshare-net", "--unshare-pid", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--", "/bin/true"]);
        return exit == 0 ? (version, null) : (version, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? $"exit {exit}");
    }

    private static async Task<(int Exit, string Output)> RunQuietAsync(string executable, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, (await stdout) + (await stderr));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }

    /// <summary>A file or folder the sandbox created so it could be bound, removed again if the command left it empty.</summary>
    private sealed record Placeholder(string Path, bool IsFolder, DateTime WrittenAt)
    {
        public static Placeholder ForFile(string path) => new(path, false, File.GetLastWriteTimeUtc(path));

        public static Placeholder ForFolder(string path) => new(path, true, default);

        public void RemoveIfUntouched()
        {
            try
            {
                if (IsFolder)
                {
                    if (Directory.Exists(Path) && !Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).Any())
                    {
                        Directory.Delete(Path, recursive: true);
                    }
                }
                else if (new FileInfo(Path) is { Exists: true, Length: 0 } file && file.LastWriteTimeUtc == WrittenAt)
                {
                    file.Delete();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
