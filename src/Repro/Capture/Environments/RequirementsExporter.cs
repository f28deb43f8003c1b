using System.Text;
using Repro.Model;

namespace Repro.Capture.Environments;

/// <summary>
/// A pip requirements file pinning every distribution the run's interpreter could import,
/// <c>name==version</c>, sorted by name, headed by the interpreter and the run it came from.
/// </summary>
public sealed class RequirementsExporter : IEnvironmentExporter
{
    public static RequirementsExporter Instance { get; } = new();

    private RequirementsExporter()
    {
    }

    public string Format => "requirements";

    public string FileName => "requirements.txt";

    public string Export(RunManifest run)
    {
        var python = EnvironmentExporters.PythonOf(run);
        var text = new StringBuilder();
        text.Append("# Pinned by repro env export from run ").Append(run.Id).Append('\n');
        text.Append("# Interpreter: ").Append(python.Implementation ?? "Python").Append(' ').Append(python.Version ?? "(version unknown)")
            .Append(" (").Append(python.Executable).Append(")\n");
        if (python.Packages.Count == 0)
        {
            text.Append("# The interpreter had no distributions installed.\n");
        }

        foreach (var (name, version) in python.Packages.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append("==").Append(version).Append('\n');
        }

        return text.ToString();
    }
}
