namespace Repro.Recording.Pipelines;

/// <summary>Hashes a dep or out in one pipeline format's scheme (repro: SHA-256; DVC: md5), using the stat cache.</summary>
public interface IPipelineHasher
{
    /// <summary>The hash name new lock entries get.</summary>
    string DefaultHashName { get; }

    /// <summary>The entry the lock would record for the path under <paramref name="hashName"/>, or null when the path does not exist.</summary>
    Task<LockedArtifact?> HashAsync(string fullPath, string recordedPath, string hashName, CancellationToken cancellationToken);
}
