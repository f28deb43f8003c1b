using Repro.Model;

namespace Repro.Interop.Tracking;

/// <summary>MLflow's run statuses and how they map onto repro's.</summary>
public static class MlflowStatus
{
    public const string Running = "RUNNING";
    public const string Scheduled = "SCHEDULED";
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
    public const string Killed = "KILLED";

    public static IReadOnlyList<string> All { get; } = [Running, Scheduled, Finished, Failed, Killed];

    public static bool IsTerminal(string status) => status is Finished or Failed or Killed;

    public static RunStatus ToRepro(string status) => status switch
    {
        Finished => RunStatus.Ok,
        Failed or Killed => RunStatus.Failed,
        _ => RunStatus.Running,
    };

    public static string FromRepro(RunStatus status) => status switch
    {
        RunStatus.Ok => Finished,
        RunStatus.Running => Running,
        _ => Failed,
    };

    /// <summary>The integer MLflow's file store writes in meta.yaml (RUNNING = 1 ... KILLED = 5).</summary>
    public static string? FromNumber(int number) => number is >= 1 and <= 5 ? All[number - 1] : null;
}
