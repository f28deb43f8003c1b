using Repro.Domain;

namespace Repro.Storage;

/// <summary>
/// Where run manifests live, with params, metrics (and steps) and tags as queryable rows.
/// SQLite today; every implementation must pass the same contract tests.
/// </summary>
public interface IRunStore : IAsyncDisposable
{
    /// <summary>Saves a finished run in one transaction: all of it or nothing. Returns it as stored.</summary>
    Task<StoredRun> SaveAsync(RunManifest manifest, CancellationToken cancellationToken);

    Task<StoredRun?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Runs newest first.</summary>
    Task<IReadOnlyList<RunSummary>> ListAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>Ids that start with <paramref name="prefix"/> (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<string>> FindByPrefixAsync(string prefix, int limit, CancellationToken cancellationToken);
}
