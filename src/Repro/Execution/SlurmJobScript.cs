using Repro.Capture;

namespace Repro.Execution;

/// <summary>What every job script repro submits shares: quoting, the environment it passes on, and the hidden task command.</summary>
public static class SlurmJobScript
{
    /// <summary>The hidden command a task runs on its node.</summary>
    public const string TaskCommand = "slurm-task";

    /// <summary>The tasks' environment: everything but credentials, which Slurm would keep in its state files.</summary>
    public static Dictionary<string, string> JobEnvironment(IReadOnlyDictionary<string, string> environment) =>
        environment.Where(v => !EnvironmentVariablePolicy.IsCredential(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    /// <summary>One word for a POSIX shell, whatever it holds.</summary>
    public static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
