using System.CommandLine;
using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Capture;
using Repro.Cli.Rendering;
using Repro.Execution;
using Repro.Judging.Studies.Slurm;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro slurm-task STUDY --batch B</c>: what a Slurm array task runs on its node (hidden; the
/// job scripts repro submits call it). With <c>--probe-environment FILE</c> it writes the node's
/// environment pillar instead, for a single run or verification on Slurm.
/// </summary>
public sealed class SlurmTaskCommand : CliCommand<SlurmTaskSettings>
{
    public SlurmTaskCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var study = new Argument<string?>("study") { Arity = ArgumentArity.ZeroOrOne };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 0 };
        var task = new Option<int?>("--task") { Description = "The array index (default: SLURM_ARRAY_TASK_ID)." };
        var probe = new Option<string?>(SlurmExecutor.ProbeOption);
        var probePython = new Option<string?>(SlurmExecutor.ProbePythonOption);
        var command = new Command(SlurmJobScript.TaskCommand, "Run one seed of a Slurm study on this node (used by the job scripts repro submits).") { study, batch, task, probe, probePython };
        command.Hidden = true;
        command.SetAction((parse, cancellationToken) => new SlurmTaskCommand(context).RunAsync(
            new SlurmTaskSettings
            {
                Study = parse.GetValue(study),
                Batch = parse.GetValue(batch),
                TaskIndex = parse.GetValue(task),
                Probe = parse.GetValue(probe),
                ProbePython = parse.GetValue(probePython),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(SlurmTaskSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Probe is { } file)
        {
            var variables = Context.EnvironmentCopy();
            var snapshot = await SystemProbe.CaptureAsync(variables, cancellationToken);
            if (settings.ProbePython is { } python)
            {
                // The interpreter as the command will find it here: on the job's PATH, from the job's folder.
                var here = Context.WorkingDirectory;
                var (info, error) = await PythonProbe.ProbeAsync(
                    ExecutableResolver.Find(python, variables.GetValueOrDefault("PATH"), here) ?? python,
                    here,
                    variables.ToDictionary(v => v.Key, v => (string?)v.Value),
                    cancellationToken);
                snapshot = info is not null
                    ? snapshot with { Python = info }
                    : snapshot with { Unknown = new SortedDictionary<string, string>(snapshot.Unknown.ToDictionary(), StringComparer.Ordinal) { ["python"] = error! } };
            }

            await AtomicFile.WriteAllTextAsync(Context.FullPath(file), System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(snapshot)), cancellationToken);
            return 0;
        }

        var studyId = settings.Study ?? throw ReproException.Usage("give the study id");
        var index = settings.TaskIndex
            ?? (int.TryParse(Context.Variable("SLURM_ARRAY_TASK_ID"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var slurmIndex) ? slurmIndex
            : throw ReproException.Usage("no --task and no SLURM_ARRAY_TASK_ID: this command runs inside a Slurm array task"));

        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var studies = await new RetryingRunStore(session.Store, Context.Time).RetryAsync(
            "open the study tables",
            async () => await (await session.OpenDatabaseAsync(CancellationToken.None)).OpenStudyStoreAsync(CancellationToken.None),
            null,
            CancellationToken.None);

        // Ctrl+C stops the command, not repro: what ran so far is still recorded and reported.
        using var interrupts = Context.Interrupts.Hold();
        var runner = new SlurmSeedRunner(session.Workspace, session.Store, studies, session.Cache, () => session.StatCache(), Context.Time);
        var retrying = new SynchronousProgress<string>(message => Terminal.Warning(Context, message));
        var run = await runner.RunAsync(studyId, settings.Batch, index, Context.EnvironmentCopy(), Context.OutStream, Context.ErrorStream, retrying, Context.Interrupts.Token);
        if (run is null)
        {
            Terminal.Note(Context, "this seed's run is already recorded: nothing to do");
            return 0;
        }

        Terminal.Note(Context, $"recorded run {run.Id[..8]} (seed {run.Seed?.ToString(CultureInfo.InvariantCulture)}): {(run.Status == Repro.Model.RunStatus.Ok ? "ok" : $"failed, exit {run.Execution.ExitCode}")}");
        return run.Execution.Cancelled ? (int)ExitCode.Cancelled : Math.Clamp(run.Execution.ExitCode, 0, 255);
    }
}
