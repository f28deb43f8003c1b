using Repro.Model;

namespace Repro.Blobs.Storage.Search;

/// <summary>
/// MLflow's RunStatus names (FINISHED, FAILED, RUNNING, KILLED, SCHEDULED) against repro's run
/// statuses and the words repro stores for them (the <c>runs.status</c> column: ok, failed, running).
/// </summary>
public static class MlflowStatus
{
    public const string Running = "RUNNING";
    public const string Scheduled = "SCHEDULED";
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string Killed = "KILLED";

    private static readonly (string Repro, string Mlflow)[] Pairs =
    [
        ("ok", Finished),
        ("failed", Failed),
        ("running", Running),
        ("killed", Killed),
        ("scheduled", Scheduled),
    ];

    /// <summary>In the order of the numbers MLflow's file store writes (RUNNING = 1 ... KILLED = 5).</summary>
    public static IReadOnlyList<string> All { get; } = [Running, Scheduled, Finished, Failed, Killed];

    public static bool IsTerminal(string status) => status is Finished or Failed or Killed;

    /// <summary>The repro status of an MLflow status: FINISHED is ok, FAILED and KILLED failed, anything else running.</summary>
    public static RunStatus ToRepro(string status) => status switch
    {
        Finished => RunStatus.Ok,
        Failed or Killed => RunStatus.Failed,
        _ => RunStatus.Running,
    };

    /// <summary>The MLflow status a tracked run shows for a repro status.</summary>
    public static string FromRepro(RunStatus status) => status switch
    {
        RunStatus.Ok => Finished,
        RunStatus.Running => Running,
        _ => Failed,
    };

    /// <summary>The integer MLflow's file store writes in meta.yaml (RUNNING = 1 ... KILLED = 5).</summary>
    public static string? FromNumber(int number) => number is >= 1 and <= 5 ? All[number - 1] : null;

    /// <summary>The word stored in <c>runs.status</c> for a status.</summary>
    public static string ReproText(RunStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The status a <c>runs.status</c> word stands for; anything unknown reads as failed.</summary>
    public static RunStatus ParseReproText(string text) =>
        Enum.TryParse<RunStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : RunStatus.Failed;

    /// <summary>MLflow's name for a <c>runs.status</c> word (an unknown word upper-cased).</summary>
    public static string FromReproText(string reproText)
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
    public static string? ReproTextFor(string text)
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
