namespace Repro.Interop.Tracking;

/// <summary>MLflow experiments: the tracking store's part that names, tags and pages them.</summary>
public interface IExperimentStore
{
    Task<string> CreateExperimentAsync(string? name, string? artifactLocation, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    Task<MlflowExperiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken);

    Task<MlflowExperiment?> GetExperimentByNameAsync(string name, CancellationToken cancellationToken);

    Task<(IReadOnlyList<MlflowExperiment> Experiments, string? NextPageToken)> SearchExperimentsAsync(string viewType, string? filter, int maxResults, string? pageToken, CancellationToken cancellationToken);

    Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken);

    Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken);

    Task RenameExperimentAsync(string experimentId, string? newName, CancellationToken cancellationToken);

    Task SetExperimentTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken);

    /// <summary>An experiment from an mlruns folder: its id kept when free, else matched by name.</summary>
    Task<(string Id, bool Created)> ImportExperimentAsync(MlflowExperiment experiment, CancellationToken cancellationToken);
}
