namespace Repro.Model;

/// <summary>
/// Pillar three: the machine and software the run saw. A probe that fails leaves its field
/// null and says why in <see cref="Unknown"/>; none aborts a run.
/// </summary>
public sealed record EnvironmentSnapshot
{
    public string? Hostname { get; init; }

    public OsInfo? Os { get; init; }

    public string? Kernel { get; init; }

    public string? Architecture { get; init; }

    public CpuInfo? Cpu { get; init; }

    public long? MemoryBytes { get; init; }

    public GpuInfo Gpu { get; init; } = new();

    public ContainerInfo Container { get; init; } = new();

    public string? Locale { get; init; }

    public string? TimeZone { get; init; }

    public string? Dotnet { get; init; }

    public PythonInfo? Python { get; init; }

    /// <summary>Where the command ran (local, sandbox, container, slurm). Absent from manifests written before executors, which ran locally.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ExecutorInfo? Executor { get; init; }

    /// <summary>Values of the allowlisted, result-affecting variables (credentials as "[redacted]").</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Names of every other variable, values not recorded.</summary>
    public IReadOnlyList<string> OtherVariables { get; init; } = [];

    /// <summary>Probe name to the reason it could not tell.</summary>
    public IReadOnlyDictionary<string, string> Unknown { get; init; } = new Dictionary<string, string>();
}
