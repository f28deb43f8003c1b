using Repro.Model;

namespace Repro.Capture.Environments;

/// <summary>Turns a run's recorded environment into a file another tool rebuilds it from (pip, docker).</summary>
public interface IEnvironmentExporter
{
    /// <summary>The value <c>--format</c> takes.</summary>
    string Format { get; }

    /// <summary>The file name the tool expects (requirements.txt, Dockerfile).</summary>
    string FileName { get; }

    /// <summary>The file's text; throws a usage error when the run has nothing to export.</summary>
    string Export(RunManifest run);
}
