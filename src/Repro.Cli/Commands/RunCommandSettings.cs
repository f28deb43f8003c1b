using Repro.Execution;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary>What <c>repro run</c> records (the request: command, inputs, outputs, params, seed), where it runs, and whether it reports.</summary>
public sealed record RunCommandSettings : ICommandSettings
{
    /// <summary>The run as asked for; its executor is chosen from <see cref="Executor"/> when the command runs.</summary>
    public required RunRequest Request { get; init; }

    public required ExecutorOptions Executor { get; init; }

    public bool Quiet { get; init; }

    public ValidationResult Validate() => ExecutorFlags.Validate(Executor);
}
