using System.Reflection;

namespace Repro;

/// <summary>repro's version as built (the package version plus the source commit), for reports and bundles.</summary>
public static class ReproVersion
{
    public static string Current { get; } =
        typeof(ReproVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The package version alone (no source commit), for tool fields such as SARIF's driver version.</summary>
    public static string Short { get; } = Current.Split('+')[0];
}
