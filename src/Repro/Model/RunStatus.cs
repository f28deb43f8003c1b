namespace Repro.Model;

public enum RunStatus
{
    Ok,
    Failed,

    /// <summary>A run still being logged through the MLflow API: provisional until it is sealed.</summary>
    Running,
}
