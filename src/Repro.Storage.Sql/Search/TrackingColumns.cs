using System.Text.RegularExpressions;

namespace Repro.Storage.Sql.Search;

/// <summary>
/// The hook for MLflow's per-run attributes kept outside <c>runs</c> (by the tracking module): a
/// table with one row per tracked run, LEFT JOINed when a search needs one of its columns. Runs
/// without a row are plain repro runs: in <see cref="DefaultExperimentId"/>, active (a row's
/// experiment and lifecycle columns are never NULL). Without
/// the hook user_id is the <c>mlflow.user</c> tag, end_time is start plus wall time, artifact_uri
/// is unknown and every run is in the default experiment. The names are code, never user input;
/// they are checked to be plain identifiers.
/// </summary>
public sealed partial record TrackingColumns
{
    public required string Table { get; init; }

    public string RunId { get; init; } = "run_id";

    public string? ExperimentId { get; init; }

    public string? UserId { get; init; }

    public string? ArtifactUri { get; init; }

    /// <summary>A BIGINT column of milliseconds since the epoch.</summary>
    public string? EndTime { get; init; }

    /// <summary>A TEXT column holding 'active' or 'deleted'.</summary>
    public string? LifecycleStage { get; init; }

    public string DefaultExperimentId { get; init; } = "0";

    internal void Validate()
    {
        foreach (var name in new[] { Table, RunId, ExperimentId, UserId, ArtifactUri, EndTime, LifecycleStage })
        {
            if (name is not null && !Identifier().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a plain SQL identifier", nameof(TrackingColumns));
            }
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
