namespace Repro.Execution;

/// <summary>One sbatch: a job script, run once or as an array of <see cref="ArraySize"/> tasks.</summary>
public sealed record SlurmSubmission
{
    public required string Script { get; init; }

    public required string JobName { get; init; }

    /// <summary>Folder the tasks start in (on the shared filesystem).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>stdout file pattern (%A array job, %a task, %j job).</summary>
    public required string Output { get; init; }

    /// <summary>stderr file pattern; null sends it to <see cref="Output"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Tasks 0..N-1 of one array; null submits a plain job.</summary>
    public int? ArraySize { get; init; }

    public SlurmOptions Options { get; init; } = new();

    /// <summary>
    /// The whole environment the job starts with (sbatch <c>--export=ALL</c> passes it on): never
    /// on the command line or in the script. Null passes repro's own environment.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}
