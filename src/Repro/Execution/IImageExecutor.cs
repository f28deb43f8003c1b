using Repro.Model;

namespace Repro.Execution;

/// <summary>
/// An executor whose command runs in another root file system (a container image): the
/// executable is looked up there and the interpreter is probed there, not on this machine.
/// </summary>
public interface IImageExecutor : IExecutor
{
    /// <summary>The interpreter's version and distributions as the command saw them; an error says why not.</summary>
    Task<(PythonInfo? Info, string? Error)> ProbePythonAsync(ExecutionSpec spec, string interpreter, CancellationToken cancellationToken);
}
