namespace Repro.Interop.Models;

/// <summary>The environment in brief: interpreter, the ML packages that matter, the machine.</summary>
public sealed record ModelEnvironment
{
    public string? Python { get; init; }

    public string? PythonImplementation { get; init; }

    /// <summary>Well-known ML packages present, name to version (the full list stays in the run).</summary>
    public IReadOnlyDictionary<string, string> Packages { get; init; } = new Dictionary<string, string>();

    /// <summary>How many Python distributions the run saw in all.</summary>
    public int PackageCount { get; init; }

    public string? Os { get; init; }

    public string? Architecture { get; init; }

    public string? Hostname { get; init; }

    public string? Container { get; init; }
}
