using System.CommandLine;
using Repro.Checks.Checklist;
using Repro.Cli.Rendering;
using Repro.Model.Serialization;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro check RUN [--json] [--fail-under LEVEL]</c>: the reproducibility checklist and Gundersen's R1–R4 level.</summary>
public sealed class CheckCommand : CliCommand<CheckSettings>
{
    public CheckCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "The run to check: id, prefix, name or @last." };
        var json = new Option<bool>("--json") { Description = "Print the checklist as JSON." };
        var failUnder = new Option<string?>("--fail-under") { Description = "R1, R2, R3 or R4: exit 1 when the run's level is below it (for CI)." };
        var command = new Command("check", "Evaluate the recorded evidence item by item (Yes/No/Partial) and give the reproducibility level R1–R4. Reference: docs/checks.md") { run, json, failUnder };
        command.SetAction((parse, cancellationToken) => new CheckCommand(context).RunAsync(
            new CheckSettings
            {
                Run = parse.GetValue(run)!,
                Json = parse.GetValue(json),
                FailUnder = parse.GetValue(failUnder),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(CheckSettings settings, CancellationToken cancellationToken)
    {
        var threshold = settings.Threshold;
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var id = await RunResolver.ResolveAsync(session.Store, settings.Run, cancellationToken);
        var stored = await session.Store.GetAsync(id, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{id}'");
        var result = await new ChecklistEvaluator(session.Store, session.Cache, session.Workspace).EvaluateAsync(stored, cancellationToken);
        if (settings.Json)
        {
            Context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(result, indented: true)));
        }
        else
        {
            CheckRenderer.Render(Context.Out, stored.Manifest, result);
        }

        if (threshold is { } level && result.Level < level)
        {
            Terminal.Error(Context, $"{result.LevelName} is below {ChecklistResult.NameOf(level)} (--fail-under {level})");
            return (int)ExitCode.Differs;
        }

        return 0;
    }
}
