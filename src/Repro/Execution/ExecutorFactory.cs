namespace Repro.Execution;

/// <summary>
/// Maps <c>--executor NAME</c> and its options to an executor. A new instance per call, so an
/// executor may keep per-run state (a Slurm job id) for <see cref="IExecutor.Describe"/>.
/// </summary>
public static class ExecutorFactory
{
    /// <summary>Checks the options (exit 2) and that the executor exists in this build and can start here (exit 3).</summary>
    public static IExecutor Create(ExecutorOptions options)
    {
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw ReproException.Usage(problems[0]);
        }

        return options.Name switch
        {
            "local" => LocalExecutor.Instance,
            "sandbox" => SandboxExecutor.Create(),
            "container" => new ContainerExecutor(new ContainerSettings
            {
                Image = options.Image ?? throw ReproException.Usage("--executor container needs --image IMAGE (a local image; podman images lists them)"),
                Network = options.Network ?? ContainerSettings.NoNetwork,
                RecordedAs = options.RecordedImage,
            }),
            "slurm" => new Repro.Execution.SlurmExecutor(Repro.Execution.SlurmOptions.From(options), Repro.Execution.ReproLauncher.Current()),
            _ => throw ReproException.Usage($"unknown executor '{options.Name}'"),
        };
    }
}
