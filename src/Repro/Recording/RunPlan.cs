using Repro.Capture.Metrics;
using Repro.Capture.Probe;
using Repro.Execution;
using Repro.Model;

namespace Repro.Recording;

/// <summary>
/// A run, checked once and typed, before anything runs or is stored: the command with its seed
/// substituted, every path resolved and its existence checked, parameters merged from flags and
/// params files. <see cref="RunRecorder"/> executes, captures and seals it. A new run's plan comes
/// from a <see cref="RunRequest"/>; a re-run's straight from its <see cref="RunManifest"/>.
/// </summary>
public sealed record RunPlan
{
    public required string Id { get; init; }

    public string? Name { get; init; }

    public string Kind { get; init; } = "run";

    public string? ParentId { get; init; }

    public long? Seed { get; init; }

    public bool Deterministic { get; init; }

    /// <summary>The command as given, before seed substitution.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The command the child receives ({seed} replaced).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Absolute folder the command runs in.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The environment the child inherits before repro adds its variables.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required IExecutor Executor { get; init; }

    /// <summary>Interpreter to probe when the command's first word is not recognisably Python.</summary>
    public string? Python { get; init; }

    /// <summary>Whether the in-process probe is loaded when the command is Python.</summary>
    public ProbeSettings Probe { get; init; } = ProbeSettings.Off;

    /// <summary>
    /// Folders of repro's own the command reads (the probe's), which an executor that hides the
    /// file system must show it read-only: a verify's workspace is a scratch checkout without them.
    /// </summary>
    public IReadOnlyList<string> SupportPaths { get; init; } = [];

    public IReadOnlyList<PlannedPath> Deps { get; init; } = [];

    public IReadOnlyList<PlannedPath> Outs { get; init; } = [];

    public IReadOnlyList<PlannedPath> MetricsFiles { get; init; } = [];

    public IReadOnlyList<PlannedPath> ParamsFiles { get; init; } = [];

    public IReadOnlyDictionary<string, string> Params { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Checks a new run's request: one clear usage error for the first problem found, nothing run or stored.</summary>
    public static RunPlan From(RunRequest request)
    {
        if (request.Command.Count == 0 || request.Command[0].Length == 0)
        {
            throw ReproException.Usage("no command given: repro run [OPTIONS] -- COMMAND [ARGS...]");
        }

        if (request.Name is { } name && (name.Trim().Length == 0 || name.StartsWith('@')))
        {
            throw ReproException.Usage($"invalid run name '{name}': it must not be empty or start with '@'");
        }

        var parameters = KeyValueArguments.Parse(request.Params, "--param");
        var tags = KeyValueArguments.Parse(request.Tags, "--tag");
        var deps = Resolve(request.Deps, request.WorkingDirectory);
        var paramsFiles = Resolve(request.ParamsFiles, request.WorkingDirectory);
        CheckDeps(deps);
        foreach (var file in paramsFiles)
        {
            if (!File.Exists(file.Full))
            {
                throw ReproException.NotFound($"params file not found: {file.Given}");
            }

            try
            {
                // A parameter given as a flag wins over the same key in a params file.
                foreach (var (key, value) in StructuredFile.Flatten(file.Full))
                {
                    if (key.Length > 0 && !parameters.ContainsKey(key))
                    {
                        parameters[key] = value;
                    }
                }
            }
            catch (FormatException ex)
            {
                throw ReproException.Usage($"params file {ex.Message}");
            }
        }

        // {seed} in an output or metrics path lets runs with different seeds write side by side.
        return new RunPlan
        {
            Id = request.Id ?? RunId.New(),
            Name = request.Name,
            Kind = request.Kind,
            ParentId = request.ParentId,
            Seed = request.Seed,
            Deterministic = request.Deterministic,
            Argv = request.Command,
            Command = DeterminismSettings.Substitute(request.Command, request.Seed),
            WorkingDirectory = request.WorkingDirectory,
            Environment = request.Environment,
            Executor = request.Executor,
            Python = request.Python,
            Probe = request.Probe,
            Deps = deps,
            Outs = Resolve(DeterminismSettings.Substitute(request.Outs, request.Seed, "--out"), request.WorkingDirectory),
            MetricsFiles = Resolve(DeterminismSettings.Substitute(request.MetricsFiles, request.Seed, "--metrics"), request.WorkingDirectory),
            ParamsFiles = paramsFiles,
            Params = parameters,
            Tags = tags,
        };
    }

    /// <summary>
    /// A re-run of <paramref name="run"/> whose workspace root is <paramref name="root"/> (a scratch
    /// checkout, or the workspace itself in place): the recorded command, paths, parameters and
    /// tags as typed values, never turned back into flags.
    /// </summary>
    public static RunPlan Replay(RunManifest run, string root, string workingDirectory, ReplayRequest replay, IExecutor executor, IReadOnlyDictionary<string, string> environment, string? python)
    {
        string Relative(string recorded) => Path.IsPathRooted(recorded) ? recorded : Path.GetRelativePath(workingDirectory, Path.Combine(root, recorded));
        IReadOnlyList<PlannedPath> Paths(IEnumerable<string> recorded) => Resolve(recorded.Select(Relative).ToList(), workingDirectory);

        var seed = replay.OverrideSeed ? replay.Seed : run.Seed;
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in run.Tags)
        {
            tags[key] = value;
        }

        foreach (var (key, value) in replay.ExtraTags)
        {
            tags[key] = value;
        }

        var deps = Paths(run.Deps.Select(d => d.Path));
        CheckDeps(deps);
        return new RunPlan
        {
            Id = replay.RunId ?? RunId.New(),
            Kind = replay.Kind,
            ParentId = replay.ParentId,
            Seed = seed,
            Deterministic = run.Determinism.Enabled,
            Argv = run.Execution.Argv,
            Command = DeterminismSettings.Substitute(run.Execution.Argv, seed),
            WorkingDirectory = workingDirectory,
            Environment = environment,
            Executor = executor,
            Python = python,
            Probe = replay.Probe.Enabled && run.Probe is { } recorded ? replay.Probe with { Every = recorded.Every } : replay.Probe,
            Deps = deps,
            Outs = Paths(run.Outputs.Select(o => o.Path)),
            MetricsFiles = Paths(run.Metrics.Sources.Where(s => s.Path != "$REPRO_METRICS_FILE").Select(s => s.Path)),
            ParamsFiles = Paths(run.ParamsFiles.Select(p => p.Path)),
            Params = new SortedDictionary<string, string>(run.Params.ToDictionary(), StringComparer.Ordinal),
            Tags = tags,
        };
    }

    private static List<PlannedPath> Resolve(IReadOnlyList<string> given, string workingDirectory) =>
        given.Select(g => new PlannedPath(g, Path.GetFullPath(g, workingDirectory))).ToList();

    private static void CheckDeps(IEnumerable<PlannedPath> deps)
    {
        foreach (var dep in deps)
        {
            if (!File.Exists(dep.Full) && !Directory.Exists(dep.Full))
            {
                throw ReproException.NotFound($"dependency not found: {dep.Given}");
            }
        }
    }
}
