namespace Repro.Domain;

public enum RunStatus
{
    Ok,
    Failed,
}
