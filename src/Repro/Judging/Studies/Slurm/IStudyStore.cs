namespace Repro.Judging.Studies.Slurm;

/// <summary>
/// A Slurm study's state beside the runs: its spec, its seed tasks and the job of each batch, so
/// that the submitting command, the tasks on the nodes and a later <c>repro study wait</c> agree.
/// </summary>
public interface IStudyStore
{
    Task CreateAsync(SlurmStudySpec spec, IReadOnlyList<SlurmSeedTask> tasks, CancellationToken cancellationToken);

    Task AddBatchAsync(IReadOnlyList<SlurmSeedTask> tasks, CancellationToken cancellationToken);

    Task SetJobAsync(string studyId, int batch, string jobId, CancellationToken cancellationToken);

    Task SetEndedAsync(SlurmSeedTask task, CancellationToken cancellationToken);

    Task<SlurmStudySpec?> GetAsync(string studyId, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> FindAsync(string prefix, CancellationToken cancellationToken);

    Task<IReadOnlyList<SlurmSeedTask>> TasksAsync(string studyId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<int, string?>> JobsAsync(string studyId, CancellationToken cancellationToken);
}
