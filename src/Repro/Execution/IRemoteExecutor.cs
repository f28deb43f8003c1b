using Repro.Model;

namespace Repro.Execution;

/// <summary>
/// An executor that runs the command on another machine and probes that machine there: the
/// run records the node's environment, not the login machine's.
/// </summary>
public interface IRemoteExecutor
{
    /// <summary>The environment pillar as probed where the command ran (after the run); null if it could not be.</summary>
    EnvironmentSnapshot? RemoteEnvironment { get; }

    /// <summary>Why <see cref="RemoteEnvironment"/> is null (the probe could not start there, or failed); null otherwise.</summary>
    string? RemoteProblem { get; }
}
