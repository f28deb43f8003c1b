using Repro.Model;

namespace Repro.Execution;

/// <summary>The command as a plain child process of repro: today's behaviour, no isolation, no overhead.</summary>
public sealed class LocalExecutor : IExecutor
{
    /// <summary>Stateless: one instance serves every run, concurrent ones too.</summary>
    public static LocalExecutor Instance { get; } = new();

    private static readonly ExecutorInfo Info = new() { Name = "local" };

    private LocalExecutor()
    {
    }

    public string Name => "local";

    public Task PrepareAsync(ExecutionSpec spec, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ChildProcessResult> RunAsync(ExecutionSpec spec, Stream stdoutSink, Stream stderrSink, TimeProvider time, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(spec.Process, stdoutSink, stderrSink, time, cancellationToken);

    public ExecutorInfo Describe() => Info;
}
