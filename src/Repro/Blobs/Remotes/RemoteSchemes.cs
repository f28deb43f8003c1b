using System.Collections.Concurrent;

namespace Repro.Blobs.Remotes;

/// <summary>
/// URL schemes → remote factories. Folders (<c>file://</c> or a path) are built in; the program
/// registers the adapters it ships (<c>s3</c>) at start-up, so the library knows no cloud SDK.
/// </summary>
public static class RemoteSchemes
{
    private static readonly ConcurrentDictionary<string, IRemoteFactory> Factories = new(StringComparer.Ordinal);

    /// <summary>Makes <paramref name="factory"/> open URLs of its scheme; a later registration replaces an earlier one.</summary>
    public static void Register(IRemoteFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Factories[factory.Scheme] = factory;
    }

    /// <summary>The factory for a scheme (without "://"), or null when none is registered.</summary>
    public static IRemoteFactory? Find(string scheme) => Factories.GetValueOrDefault(scheme);
}
