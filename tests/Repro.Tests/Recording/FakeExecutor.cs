using System.Text;
using Repro.Execution;
using Repro.Model;

namespace Repro.Tests.Recording;

/// <summary>
/// An executor that runs no process: each run calls <c>act</c> with the spec and the run's number,
/// which writes the files it wants and returns what the command "printed" and its exit code.
/// </summary>
internal sealed class FakeExecutor(Func<ExecutionSpec, int, (string Stdout, int ExitCode)> act) : IExecutor
{
    private int _runs;

    public string Name => "local";

    public List<ExecutionSpec> Specs { get; } = [];

    public Exception? FailPrepare { get; init; }

    public Task PrepareAsync(ExecutionSpec spec, CancellationToken cancellationToken) =>
        FailPrepare is null ? Task.CompletedTask : Task.FromException(FailPrepare);

    public async Task<ChildProcessResult> RunAsync(ExecutionSpec spec, Stream stdoutSink, Stream stderrSink, TimeProvider time, CancellationToken cancellationToken)
    {
        Specs.Add(spec);
        var started = time.GetUtcNow();
        var (printed, exitCode) = act(spec, Interlocked.Increment(ref _runs));
        var stdout = new BoundedCapture(1 << 20);
        var bytes = Encoding.UTF8.GetBytes(printed);
        stdout.Write(bytes);
        await stdoutSink.WriteAsync(bytes, cancellationToken);
        return new ChildProcessResult { ExitCode = exitCode, StartedAt = started, EndedAt = time.GetUtcNow(), WallSeconds = 0.01, Stdout = stdout, Stderr = new BoundedCapture(1 << 20) };
    }

    public ExecutorInfo Describe() => new() { Name = Name };
}
