using System.Reflection;

namespace Repro.Execution;

/// <summary>How to start this same repro on a cluster node (which sees the login node's files).</summary>
public static class ReproLauncher
{
    /// <summary>
    /// The running repro: its native host, or <c>dotnet repro.dll</c> when it runs as a portable
    /// tool; null when the process is not repro (a test host).
    /// </summary>
    public static IReadOnlyList<string>? Current()
    {
        var entry = Assembly.GetEntryAssembly();
        if (entry?.GetName().Name != "repro" || Environment.ProcessPath is not { } host)
        {
            return null;
        }

        // A native build is its own host; a portable one runs as `dotnet repro.dll`.
        var name = Path.GetFileNameWithoutExtension(host);
        return name.Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? [host, Path.Combine(AppContext.BaseDirectory, "repro.dll")] : [host];
    }
}
