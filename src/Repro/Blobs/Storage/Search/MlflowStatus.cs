using Repro.Model;

namespace Repro.Blobs.Storage.Search;

/// <summary>
/// repro's run status words (the <c>runs.status</c> column: ok, failed, running) against
/// MLflow's RunStatus names (FINISHED, FAILED, RUNNING, KILLED, SCHEDULED).
/// </summary>
public static class MlflowStatus
{
    private static readonly (string Repro, string Mlflow)[] Pairs =
    [
        ("ok", "FINISHED"),
        ("failed", "FAILED"),
        ("running", "RUNNING"),
        ("killed", "KILLED"),
        ("scheduled", "SCHEDULED"),
    ];

    /// <summary>The word stored in <c>runs.status</c> for a status.</summary>
    public static string ReproText(RunStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The status a <c>runs.status</c> word stands for; anything unknown reads as failed.</summary>
    public static RunStatus ParseReproText(string text) =>
        Enum.TryParse<RunStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : RunStatus.Failed;

    /// <summary>MLflow's name for a <c>runs.status</c> word (an unknown word upper-cased).</summary>
    public static string FromRepro(string reproText)
    {
        ArgumentNullException.ThrowIfNull(reproText);
        foreach (var (repro, mlflow) in Pairs)
        {
            if (repro == reproText)
            {
                return mlflow;
            }
        }

        return reproText.ToUpperInvariant();
    }

    /// <summary>
    /// The <c>runs.status</c> word for an MLflow name as a filter gives it (FINISHED → ok); repro's
    /// own words are accepted as well. Null when it names no status, which then matches nothing.
    /// </summary>
    public static string? ToRepro(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (repro, mlflow) in Pairs)
        {
            if (string.Equals(mlflow, text, StringComparison.OrdinalIgnoreCase) || string.Equals(repro, text, StringComparison.OrdinalIgnoreCase))
            {
                return repro;
            }
        }

        return null;
    }
}
