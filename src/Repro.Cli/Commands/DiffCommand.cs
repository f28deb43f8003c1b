using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Judging.Comparison;
using Repro.Judging.Diffing;
using Repro.Judging.Verification;
using Repro.Model.Serialization;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro diff A B</c>: what differs between two runs, pillar by pillar, with likely causes.</summary>
public sealed class DiffCommand : CliCommand<DiffSettings>
{
    public DiffCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var a = new Argument<string>("run-a") { Description = "The first run (id, prefix, name or @last)." };
        var b = new Argument<string>("run-b") { Description = "The second run." };
        var json = new Option<bool>("--json") { Description = "Print the differences as JSON." };
        var command = new Command("diff", "Show what differs between two runs: code, data, params, seed, environment, outputs, metrics and printed text. Reference: docs/verify.md") { a, b, json };
        command.SetAction((parse, cancellationToken) => new DiffCommand(context).RunAsync(
            new DiffSettings
            {
                RunA = parse.GetValue(a)!,
                RunB = parse.GetValue(b)!,
                Json = parse.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(DiffSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var idA = await RunResolver.ResolveAsync(session.Store, settings.RunA, cancellationToken);
        var idB = await RunResolver.ResolveAsync(session.Store, settings.RunB, cancellationToken);
        var runA = (await session.Store.GetAsync(idA, cancellationToken))!.Manifest;
        var runB = (await session.Store.GetAsync(idB, cancellationToken))!.Manifest;
        // Printed text is compared as verify compares it: the same masks and tolerance (repro.yaml, .repro/config.yaml).
        var verify = VerifySettings.Build(session.Workspace.Root, 1, false, null, null, [], null);
        var masks = TextMasks.WithWorkspace(session.Workspace.Root, session.Workspace.TempPath, runA.Code.Prefix, verify.Masks);
        var printed = new PrintedJudge(session.Cache, masks, verify.Tolerance, verify.OutputTolerances, verify.MetricTolerances);
        var difference = await new RunDiffer(session.Cache, printed).DiffAsync(runA, runB, cancellationToken);
        if (settings.Json)
        {
            Context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(difference, indented: true)));
        }
        else
        {
            DiffRenderer.Render(Context.Out, difference);
        }

        return 0;
    }
}
