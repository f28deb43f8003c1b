using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Judging.Comparison;
using Repro.Judging.Diffing;
using Repro.Judging.Verification;
using Repro.Model.Serialization;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro diff A B</c>: what differs between two runs, pillar by pillar, with likely causes.</summary>
public static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        var a = new Argument<string>("run-a") { Description = "The first run (id, prefix, name or @last)." };
        var b = new Argument<string>("run-b") { Description = "The second run." };
        var json = new Option<bool>("--json") { Description = "Print the differences as JSON." };
        var command = new Command("diff", "Show what differs between two runs: code, data, params, seed, environment, outputs, metrics and printed text. Reference: docs/verify.md") { a, b, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var idA = await RunResolver.ResolveAsync(session.Store, parse.GetValue(a)!, cancellationToken);
            var idB = await RunResolver.ResolveAsync(session.Store, parse.GetValue(b)!, cancellationToken);
            var runA = (await session.Store.GetAsync(idA, cancellationToken))!.Manifest;
            var runB = (await session.Store.GetAsync(idB, cancellationToken))!.Manifest;
            // Printed text is compared as verify compares it: the same masks and tolerance (repro.yaml, .repro/config.yaml).
            var settings = VerifySettings.Build(session.Workspace.Root, 1, false, null, null, [], null);
            var masks = TextMasks.WithWorkspace(session.Workspace.Root, session.Workspace.TempPath, runA.Code.Prefix, settings.Masks);
            var printed = new PrintedJudge(session.Cache, masks, settings.Tolerance, settings.OutputTolerances, settings.MetricTolerances);
            var difference = await new RunDiffer(session.Cache, printed).DiffAsync(runA, runB, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(difference, indented: true)));
            }
            else
            {
                DiffRenderer.Render(context.Out, difference);
            }

            return 0;
        });
        return command;
    }
}
