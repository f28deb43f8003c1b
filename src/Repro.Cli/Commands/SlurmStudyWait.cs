using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Execution;
using Repro.Judging.Studies;
using Repro.Judging.Studies.Slurm;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary>
/// Submitting a seed study to Slurm and waiting for it, shared by <c>repro seeds --executor slurm</c>
/// and <c>repro study STUDY --wait</c> (which re-attaches to one whose waiter was killed).
/// </summary>
public static class SlurmStudyWait
{
    public static async Task<SlurmStudyRunner> RunnerAsync(CliContext context, WorkspaceSession session, CancellationToken cancellationToken)
    {
        var studies = await (await session.OpenDatabaseAsync(cancellationToken)).OpenStudyStoreAsync(cancellationToken);
        return new SlurmStudyRunner(session.Workspace, session.Store, studies, session.Cache, () => session.StatCache(), new SlurmClient(), context.Time)
        {
            PollInterval = PollInterval(context),
        };
    }

    /// <summary>Submits the study's first array and waits for it.</summary>
    public static async Task<int> SubmitAndWaitAsync(CliContext context, WorkspaceSession session, StudyRequest request, SlurmOptions options, bool json, CancellationToken cancellationToken)
    {
        var launcher = context.Launcher ?? throw ReproException.CannotExecute("cannot tell how to start repro on a node: run the repro tool itself");
        var runner = await RunnerAsync(context, session, cancellationToken);
        var spec = await runner.SubmitAsync(request, options, launcher, cancellationToken);
        Terminal.Note(context, $"study {spec.Id[..8]}: {spec.Seeds.Count} seeds submitted to Slurm as one job array; Ctrl+C stops waiting (the jobs go on), `repro study {spec.Id[..8]} --wait` re-attaches");
        return await WaitAsync(context, runner, spec.Id, json);
    }

    /// <summary>Waits for every seed to settle, then prints the study like <c>repro seeds</c> does.</summary>
    public static async Task<int> WaitAsync(CliContext context, SlurmStudyRunner runner, string studyId, bool json)
    {
        // Ctrl+C stops the command, not repro: what ran so far is still recorded and reported.
        using var interrupts = context.Interrupts.Hold();
        StudyOutcome outcome;
        using (var progress = new SlurmProgressBar(context))
        {
            outcome = await runner.WaitAsync(studyId, context.EnvironmentCopy(), progress, context.Interrupts.Token);
        }

        var study = outcome.Study;
        if (json)
        {
            context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(StudyReport.For(study, outcome.Digest), indented: true)));
            context.Out.WriteLine();
            foreach (var warning in study.Warnings)
            {
                Terminal.Warning(context, warning);
            }
        }
        else
        {
            StudyRenderer.Render(context.Out, study, outcome.Digest);
        }

        return SeedsCommand.ExitFor(study, cancelled: false);
    }

    /// <summary>REPRO_SLURM_POLL_MS shortens the poll for tests and small clusters (default 1000 ms).</summary>
    private static TimeSpan PollInterval(CliContext context) =>
        int.TryParse(context.Variable("REPRO_SLURM_POLL_MS"), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms)
            : TimeSpan.FromSeconds(1);
}
