using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Serialization;
using Repro.Studies;

namespace Repro.Cli.Commands;

/// <summary><c>repro study RUN [--json]</c>: a finished seed study again, without running anything.</summary>
public static class StudyCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "The study: id, prefix, @last, or a name (its newest study)." };
        var json = new Option<bool>("--json") { Description = "Print the study as JSON." };
        var command = new Command("study", "Show a seed study recorded by `repro seeds`: statistics of every metric, claims, and each seed's run.") { run, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var stored = await StudyResolver.ResolveAsync(session.Store, parse.GetValue(run)!, cancellationToken);
            if (parse.GetValue(json))
            {
                context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(StudyReport.For(stored.Manifest, stored.Digest), indented: true)));
                context.Out.WriteLine();
            }
            else
            {
                StudyRenderer.Render(context.Out, stored.Manifest, stored.Digest);
            }

            return 0;
        });
        return command;
    }
}
