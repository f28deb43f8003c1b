using Repro.Model;

namespace Repro.Execution;

/// <summary>
/// Where a recorded command runs: a local process, a bubblewrap sandbox, a container, or a
/// Slurm node. Every executor passes the same contract tests (exit code, stdout/stderr, seed and
/// variables reach the child, outputs collected, cancellation). An executor never records
/// anything itself: <c>RunRecorder</c> captures the pillars around it.
/// </summary>
public interface IExecutor
{
    /// <summary>local, sandbox, container or slurm: the name <c>--executor</c> takes.</summary>
    string Name { get; }

    /// <summary>
    /// Checks the executor can run here before anything is recorded (bwrap installed, image
    /// present, sbatch reachable); throws <see cref="ReproException"/> (exit 3) saying how to fix it.
    /// </summary>
    Task PrepareAsync(ExecutionSpec spec, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the command to the end, streaming its output to the sinks while keeping the capped
    /// copy in the result. Cancelling stops the command (Ctrl+C semantics) and returns a result
    /// with <see cref="ChildProcessResult.Cancelled"/> set.
    /// </summary>
    Task<ChildProcessResult> RunAsync(ExecutionSpec spec, Stream stdoutSink, Stream stderrSink, TimeProvider time, CancellationToken cancellationToken);

    /// <summary>What the environment pillar records about where the command ran (after <see cref="RunAsync"/>).</summary>
    ExecutorInfo Describe();
}
