using System.Diagnostics;

namespace Repro.Interop.Tracking;

/// <summary>
/// The process that owns a live run (the <c>repro run</c> that created it for its command): host
/// name and process id, so a run whose owner died without sealing it can be told from one still
/// being logged. Only an owner on this host can be checked; elsewhere a live run stays live.
/// </summary>
public sealed record RunOwner(string Host, int Pid)
{
    /// <summary>This process on this host.</summary>
    public static RunOwner Current => new(Environment.MachineName, Environment.ProcessId);

    /// <summary>Whether process <paramref name="pid"/> runs on this host (a reused pid counts as alive: the run then stays live, never wrongly ended).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
