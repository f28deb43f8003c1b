using System.Globalization;
using Repro.Capture;
using Repro.Model;

namespace Repro.Execution;

/// <summary>
/// Runs the command inside a local image with podman (or docker): the workspace bind-mounted at
/// the same path so recorded paths stay valid, the same working directory, no network unless
/// asked, the content cache read-only, and the run's variables (not the host's layout, no credentials) passed in.
/// The executable is resolved on the image's PATH, never the host's. Nothing is ever pulled.
/// </summary>
public sealed class ContainerExecutor : IImageExecutor
{
    /// <summary>Host variables never passed into the image: they describe this machine, not the run.</summary>
    private static readonly HashSet<string> MachineVariables = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "HOSTNAME", "PWD", "OLDPWD", "SHELL", "SHLVL", "USER", "LOGNAME", "MAIL", "TMPDIR", "_",
        "LD_LIBRARY_PATH", "LD_PRELOAD", "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "CONDA_EXE", "CONDA_SHLVL",
        "PYTHONPATH", "PYTHONHOME", "LS_COLORS", "DISPLAY", "CONTAINERS_CONF", "CONTAINER_HOST", "DOCKER_HOST",
    };

    private static readonly string[] MachinePrefixes = ["XDG_", "DOTNET_", "PYENV_", "SSH_", "DBUS_", "SUDO_", "CONDA_", "NVM_", "MSBUILD", "NUGET_"];

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    private readonly ContainerSettings _settings;
    private ContainerEngine? _engine;
    private ContainerImage? _image;

    public ContainerExecutor(ContainerSettings settings) => _settings = settings;

    public string Name => "container";

    public ContainerSettings Settings => _settings;

    /// <summary>The engine found by <see cref="PrepareAsync"/>.</summary>
    public ContainerEngine Engine => _engine ?? throw new InvalidOperationException("PrepareAsync has not run");

    /// <summary>The image found by <see cref="PrepareAsync"/>.</summary>
    public ContainerImage Image => _image ?? throw new InvalidOperationException("PrepareAsync has not run");

    /// <summary>Finds the engine and the image (two process starts: the engine's version, <c>image inspect</c>).</summary>
    public async Task PrepareAsync(ExecutionSpec spec, CancellationToken cancellationToken)
    {
        var clientEnvironment = ClientEnvironment(spec);
        _engine ??= await ContainerEngine.DetectAsync(spec.Process.Environment.GetValueOrDefault("PATH"), clientEnvironment, cancellationToken);
        if (_image is null)
        {
            try
            {
                _image = await InspectAsync(_engine, _settings.Image, clientEnvironment, cancellationToken);
            }
            catch (ReproException ex) when (_settings.RecordedAs is { } recorded && ex.Code == ExitCode.CannotExecute)
            {
                throw ReproException.CannotExecute($"the recorded image {recorded} ({_settings.Image}) is no longer present locally: load or import it again, or choose one with --image");
            }
        }
    }

    /// <summary>Asks the engine about a local image; throws exit 3 naming it when it is not here (no registry is asked).</summary>
    public static async Task<ContainerImage> InspectAsync(ContainerEngine engine, string image, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var answer = await ProcessCapture.RunAsync(engine.Executable, ["image", "inspect", image], null, environment, cancellationToken, ProbeTimeout)
            ?? throw ReproException.CannotExecute($"cannot start {engine.Executable}");
        if (answer.ExitCode != 0)
        {
            throw ReproException.CannotExecute($"image {image} is not present locally ({engine.Name}: {ContainerEngine.FirstLine(answer.Stderr)}); repro never pulls: build, load or import it first ({engine.Name} load / {engine.Name} import)");
        }

        try
        {
            return ContainerImage.Parse(image, answer.StdoutText);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw ReproException.CannotExecute($"unexpected answer from {engine.Name} image inspect {image}: {ex.Message}");
        }
    }

    public async Task<ChildProcessResult> RunAsync(ExecutionSpec spec, Stream stdoutSink, Stream stderrSink, TimeProvider time, CancellationToken cancellationToken)
    {
        await PrepareAsync(spec, CancellationToken.None);
        var name = ContainerName(spec);
        var arguments = RunArguments(spec, name, spec.Command);
        var client = spec.Process with
        {
            Executable = Engine.Executable,
            Arguments = arguments,
        };

        // Ctrl+C reaches the engine's client, which forwards it to the container (--sig-proxy,
        // the default); --init makes SIGTERM stop the command even though it runs as pid 1.
        ChildProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(client, stdoutSink, stderrSink, time, cancellationToken);
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // The client may have been killed before its container ended: the container must not outlive repro.
                await ProcessCapture.RunAsync(Engine.Executable, ["rm", "--force", "--time", "0", name], null, ClientEnvironment(spec), CancellationToken.None, ProbeTimeout);
            }
        }

        if (!result.Cancelled && result.ExitCode is 1 or 125 or 126 or 127 && EngineError(result.Stderr, result.ExitCode) is { } error)
        {
            throw ReproException.CannotExecute($"cannot start '{spec.Command[0]}' in image {_settings.Image}: {error}");
        }

        // The engine's client is not the command: its CPU time and memory would be the client's.
        return result with { CpuSeconds = null, PeakRssBytes = null };
    }

    public ExecutorInfo Describe()
    {
        var details = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["engine"] = Engine.Name,
            ["image"] = _settings.Image,
            ["imageId"] = Image.Id,
            ["network"] = _settings.Network,
        };
        if (Engine.Version is { Length: > 0 } version)
        {
            details["engineVersion"] = version;
        }

        if (Image.Digest is { } digest)
        {
            details["digest"] = digest;
        }

        return new ExecutorInfo { Name = Name, Details = details };
    }

    /// <summary>
    /// The Python environment inside the image: the interpreter runs in a container like the
    /// command's (same mounts, variables and working directory) and lists its own distributions.
    /// Costs one container start.
    /// </summary>
    public async Task<(PythonInfo? Info, string? Error)> ProbePythonAsync(ExecutionSpec spec, string interpreter, CancellationToken cancellationToken)
    {
        await PrepareAsync(spec, cancellationToken);
        return await PythonProbe.ProbeThroughAsync(
            interpreter,
            async (command, token) =>
            {
                var name = ContainerName(spec) + "-probe";
                var result = await ProcessCapture.RunAsync(Engine.Executable, RunArguments(spec, name, command), spec.Process.WorkingDirectory, ClientEnvironment(spec), token, ProbeTimeout);
                if (result is { ExitCode: 1 or 125 or 126 or 127 } && EngineError(result.Stderr, result.ExitCode) is { } error)
                {
                    return result with { Stderr = error };
                }

                return result;
            },
            cancellationToken);
    }

    /// <summary>
    /// The names passed into the image with <c>--env NAME</c> (the engine's client takes the
    /// value from its own environment, so no value shows in a process list): every variable but
    /// those describing this machine's layout, and none that looks like a credential.
    /// </summary>
    public static IReadOnlyList<string> PassedVariables(IReadOnlyDictionary<string, string> environment) =>
        environment.Keys
            .Where(key => key.Length > 0 && !MachineVariables.Contains(key) && !MachinePrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal))
                && !EnvironmentVariablePolicy.IsCredential(key))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The engine's arguments for one container running <paramref name="command"/>.</summary>
    public IReadOnlyList<string> RunArguments(ExecutionSpec spec, string name, IReadOnlyList<string> command)
    {
        var arguments = new List<string>
        {
            "run", "--rm", "--init", "--pull", "never", "--name", name, "--network", _settings.Network,
            "--workdir", spec.Process.WorkingDirectory,
        };

        var workspace = Path.GetFullPath(spec.WorkspaceRoot);
        var mounts = new SortedDictionary<string, bool>(StringComparer.Ordinal) { [workspace] = false };
        foreach (var path in spec.WritablePaths.Select(p => Path.GetFullPath(p)))
        {
            if (!IsUnder(path, workspace))
            {
                // An output outside the workspace: its folder is mounted, so a file not yet written can appear.
                var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(path)!;
                Directory.CreateDirectory(folder);
                mounts.TryAdd(folder, false);
            }
        }

        foreach (var path in spec.ReadOnlyPaths.Select(p => Path.GetFullPath(p)).Where(p => Directory.Exists(p) || File.Exists(p)))
        {
            mounts[path] = true;
        }

        // Sorted by path, a parent comes before what is mounted inside it (the cache inside the workspace).
        foreach (var (path, readOnly) in mounts)
        {
            if (path.Contains(',', StringComparison.Ordinal))
            {
                throw ReproException.Usage($"cannot mount {path} into a container: the path contains a comma");
            }

            arguments.Add("--mount");
            arguments.Add($"type=bind,source={path},destination={path}{(readOnly ? ",readonly=true" : string.Empty)}");
        }

        foreach (var key in PassedVariables(spec.Process.Environment))
        {
            arguments.Add("--env");
            arguments.Add(key);
        }

        arguments.Add(_image?.Id ?? _settings.Image);
        arguments.AddRange(command);
        return arguments;
    }

    private static bool IsUnder(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string ContainerName(ExecutionSpec spec)
    {
        var id = spec.Process.Environment.TryGetValue("REPRO_RUN_ID", out var runId) && runId.Length > 0 && runId.All(char.IsAsciiLetterOrDigit)
            ? runId
            : Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        return string.Create(CultureInfo.InvariantCulture, $"repro-{id}");
    }

    /// <summary>
    /// The engine's own complaint when the command never started (not the command's output):
    /// the init process (catatonit, tini) or the OCI runtime could not exec it, or the engine
    /// failed (exit 125). Such a line comes first on stderr, before the command could write.
    /// </summary>
    private static string? EngineError(BoundedCapture stderr, int exitCode) => EngineError(System.Text.Encoding.UTF8.GetString(stderr.ToArray()), exitCode);

    private static string? EngineError(string stderr, int exitCode)
    {
        var line = stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (line is null)
        {
            return null;
        }

        var execFailed = line.Contains("failed to exec pid1", StringComparison.Ordinal)
            || (line.Contains("tini", StringComparison.Ordinal) && line.Contains("exec", StringComparison.Ordinal) && line.Contains("failed", StringComparison.Ordinal))
            || line.Contains("executable file not found", StringComparison.Ordinal)
            || line.Contains("OCI runtime", StringComparison.Ordinal);
        if (!execFailed)
        {
            return exitCode == 125 && line.StartsWith("Error: ", StringComparison.Ordinal) ? line : null;
        }

        return line.Contains("No such file or directory", StringComparison.OrdinalIgnoreCase) || line.Contains("not found", StringComparison.Ordinal)
            ? "not found in the image (looked up on the image's PATH)"
            : line.Contains("Permission denied", StringComparison.OrdinalIgnoreCase) ? "not executable in the image" : line;
    }

    private static Dictionary<string, string?> ClientEnvironment(ExecutionSpec spec) =>
        spec.Process.Environment.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal);
}
