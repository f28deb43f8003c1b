namespace Repro.Interop.Models;

/// <summary>
/// Named, versioned models, each version an output of a recorded run, with movable aliases. Every
/// change is written to the audit log by the adapter in the same transaction.
/// </summary>
public interface IModelRegistry
{
    Task<RegisteredModelVersion> RegisterAsync(string name, string runId, string outputPath, IReadOnlyList<string> aliases, bool allowFailed, CancellationToken cancellationToken);

    /// <summary>Points an alias at a version; returns the version it pointed at before, if any.</summary>
    Task<long?> SetAliasAsync(string name, string alias, long version, CancellationToken cancellationToken);

    Task<RegisteredModelVersion> GetAsync(ModelReference reference, CancellationToken cancellationToken);

    Task<IReadOnlyList<RegisteredModelVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ModelSummary>> ListAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<(string Name, long Version)>> VersionsOfRunAsync(string runId, CancellationToken cancellationToken);
}
