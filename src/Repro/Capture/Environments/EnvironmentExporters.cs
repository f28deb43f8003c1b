namespace Repro.Capture.Environments;

/// <summary>The exporters <c>repro env export --format</c> knows, by name.</summary>
public static class EnvironmentExporters
{
    public static IReadOnlyList<IEnvironmentExporter> All { get; } = [RequirementsExporter.Instance, DockerfileExporter.Instance];

    public static IEnvironmentExporter Find(string format) =>
        All.FirstOrDefault(e => string.Equals(e.Format, format, StringComparison.OrdinalIgnoreCase))
        ?? throw ReproException.Usage($"unknown export format '{format}': use {string.Join(" or ", All.Select(e => e.Format))}");

    /// <summary>The run's Python environment, or a usage error saying why there is none.</summary>
    internal static Repro.Model.PythonInfo PythonOf(Repro.Model.RunManifest run)
    {
        if (run.Environment.Python is { } python)
        {
            return python;
        }

        var why = run.Environment.Unknown.TryGetValue("python", out var reason) ? $" (the probe said: {reason})" : string.Empty;
        throw ReproException.Usage($"run {run.Id} has no recorded Python environment{why}: only runs of a Python command (or with --python) can be exported");
    }
}
