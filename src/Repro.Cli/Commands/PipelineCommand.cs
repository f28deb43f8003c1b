using System.CommandLine;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro pipeline run|status</c>: re-run only the stages whose command, deps, params or outs
/// changed (repro.yaml/repro.lock, or a DVC project's dvc.yaml/dvc.lock as it is).
/// </summary>
public static class PipelineCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("pipeline", "Run and check the stages of repro.yaml (or of a DVC project's dvc.yaml): only what changed re-runs. Reference: docs/pipelines.md")
        {
            PipelineRunCommand.Create(context),
            PipelineStatusCommand.Create(context),
        };
        return command;
    }
}
