using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Judging.Studies;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro compare A B</c>: is study B really better than study A, metric by metric?</summary>
public sealed class CompareCommand : CliCommand<CompareSettings>
{
    public CompareCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var a = new Argument<string>("a") { Description = "Study A (the baseline): id, prefix or a name whose newest study it is." };
        var b = new Argument<string>("b") { Description = "Study B (the candidate)." };
        var metric = new Option<string?>("--metric") { Description = "Compare only this metric (default: every metric both studies have)." };
        var higher = new Option<bool>("--higher-is-better") { Description = "Bigger values are better (default: guessed from each metric's name; loss/error/time are lower-is-better)." };
        var lower = new Option<bool>("--lower-is-better") { Description = "Smaller values are better." };
        var json = new Option<bool>("--json") { Description = "Print every number as JSON." };
        var command = new Command("compare", "Compare two seed studies: difference of means with a 95% CI, Welch's t-test, Mann–Whitney U, P(B better), Cohen's d, and a plain conclusion. Reference: docs/studies.md")
        {
            a, b, metric, higher, lower, json,
        };
        command.SetAction((parse, cancellationToken) => new CompareCommand(context).RunAsync(
            new CompareSettings
            {
                StudyA = parse.GetValue(a)!,
                StudyB = parse.GetValue(b)!,
                Metric = parse.GetValue(metric),
                HigherIsBetter = parse.GetValue(higher),
                LowerIsBetter = parse.GetValue(lower),
                Json = parse.GetValue(json),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(CompareSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var studyA = await StudyResolver.ResolveAsync(session.Store, settings.StudyA, cancellationToken);
        var studyB = await StudyResolver.ResolveAsync(session.Store, settings.StudyB, cancellationToken);
        var comparison = StudyComparer.Compare(studyA, studyB, settings.Metric, settings.Direction);
        if (settings.Json)
        {
            Context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(comparison, indented: true)));
            Context.Out.WriteLine();
        }
        else
        {
            CompareRenderer.Render(Context.Out, comparison);
        }

        return 0;
    }
}
