using System.CommandLine;
using Repro.Cli.Rendering;
using Repro.Judging.Studies;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro study RUN [--json] [--wait]</c>: a finished seed study again, without running
/// anything; with <c>--wait</c>, re-attaches to a Slurm study whose jobs may still be running.
/// </summary>
public sealed class StudyCommand : CliCommand<StudySettings>
{
    public StudyCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "The study: id, prefix, @last, or a name (its newest study)." };
        var json = new Option<bool>("--json") { Description = "Print the study as JSON." };
        var wait = new Option<bool>("--wait") { Description = "A study submitted to Slurm: wait for its remaining tasks (resubmitting failed ones), then report it." };
        var command = new Command("study", "Show a seed study recorded by `repro seeds`: statistics of every metric, claims, and each seed's run. Reference: docs/studies.md") { run, json, wait };
        command.SetAction((parse, cancellationToken) => new StudyCommand(context).RunAsync(
            new StudySettings
            {
                Run = parse.GetValue(run)!,
                Json = parse.GetValue(json),
                Wait = parse.GetValue(wait),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(StudySettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        if (settings.Wait)
        {
            var runner = await SlurmStudyWait.RunnerAsync(Context, session, cancellationToken);
            var studies = await (await session.OpenDatabaseAsync(cancellationToken)).OpenStudyStoreAsync(cancellationToken);
            var text = settings.Run;
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

            return await SlurmStudyWait.WaitAsync(Context, runner, found[0], settings.Json);
        }

        var stored = await StudyResolver.ResolveAsync(session.Store, settings.Run, cancellationToken);
        if (settings.Json)
        {
            Context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(StudyReport.For(stored.Manifest, stored.Digest), indented: true)));
            Context.Out.WriteLine();
        }
        else
        {
            StudyRenderer.Render(Context.Out, stored.Manifest, stored.Digest);
        }

        return 0;
    }
}
