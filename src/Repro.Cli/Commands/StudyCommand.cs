using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Judging.Studies;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro study RUN [--json] [--wait]</c>: a finished seed study again, without running
/// anything; with <c>--wait</c>, re-attaches to a Slurm study whose jobs may still be running.
/// </summary>
public static class StudyCommand
{
    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "The study: id, prefix, @last, or a name (its newest study)." };
        var json = new Option<bool>("--json") { Description = "Print the study as JSON." };
        var wait = new Option<bool>("--wait") { Description = "A study submitted to Slurm: wait for its remaining tasks (resubmitting failed ones), then report it." };
        var command = new Command("study", "Show a seed study recorded by `repro seeds`: statistics of every metric, claims, and each seed's run. Reference: docs/studies.md") { run, json, wait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            if (parse.GetValue(wait))
            {
                var runner = await SlurmStudyWait.RunnerAsync(context, session, cancellationToken);
                var studies = await Repro.Judging.Studies.Slurm.SlurmStudyStore.OpenAsync(await session.OpenDatabaseAsync(cancellationToken), cancellationToken);
                var text = parse.GetValue(run)!;
                var found = await studies.FindAsync(text == Repro.Recording.RunId.Last ? string.Empty : text, cancellationToken);
                if (found.Count > 1 && Repro.Recording.RunId.IsHex(text))
                {
                    throw ReproException.Usage($"'{text}' names {found.Count} Slurm studies: give more of the id ({string.Join(", ", found.Take(5).Select(f => f[..8]))})");
                }

                if (found.Count == 0)
                {
                    var local = await StudyResolver.ResolveAsync(session.Store, text, cancellationToken);
                    throw ReproException.Usage($"study {local.Manifest.Id[..8]} did not run on Slurm: there is nothing to wait for (`repro study {local.Manifest.Id[..8]}` shows it)");
                }

                return await SlurmStudyWait.WaitAsync(context, runner, found[0], parse.GetValue(json));
            }

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
