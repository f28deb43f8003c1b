using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Judging.Studies;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro compare A B</c>: is study B really better than study A, metric by metric?</summary>
public static class CompareCommand
{
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
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(higher) && parse.GetValue(lower))
            {
                throw ReproException.Usage("--higher-is-better and --lower-is-better contradict each other");
            }

            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var studyA = await StudyResolver.ResolveAsync(session.Store, parse.GetValue(a)!, cancellationToken);
            var studyB = await StudyResolver.ResolveAsync(session.Store, parse.GetValue(b)!, cancellationToken);
            var direction = parse.GetValue(higher) ? true : parse.GetValue(lower) ? false : (bool?)null;
            var comparison = StudyComparer.Compare(studyA, studyB, parse.GetValue(metric), direction);
            if (parse.GetValue(json))
            {
                context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(comparison, indented: true)));
                context.Out.WriteLine();
            }
            else
            {
                CompareRenderer.Render(context.Out, comparison);
            }

            return 0;
        });
        return command;
    }
}
