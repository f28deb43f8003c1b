using System.CommandLine;
using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Execution;
using Repro.Judging.Studies;
using Repro.Model;
using Repro.Model.Serialization;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro seeds RUN|-- COMMAND -n N</c>: one run per seed as a study, and honest statistics over them.</summary>
public sealed class SeedsCommand : CliCommand<SeedsCommandSettings>
{
    public SeedsCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var run = new Argument<string?>("run") { Description = "A recorded run to re-run once per seed (each in a scratch checkout of its code and data). Or give the command after --.", Arity = ArgumentArity.ZeroOrOne };
        var count = new Option<int?>("-n") { Description = "How many seeds (1, 2, … unless --seeds or --seed-start say otherwise)." };
        var seeds = new Option<string?>("--seeds") { Description = "The seeds, comma-separated (e.g. 1,2,7)." };
        var seedStart = new Option<long?>("--seed-start") { Description = "The first seed of -n consecutive seeds (default 1)." };
        var jobs = new Option<int>("-j") { Description = "Seeds run at once on this machine (default 1). Parallel runs on one machine share cores, caches and memory bandwidth: timings and thread contention change, and so can results that depend on them.", DefaultValueFactory = _ => 1 };
        var claims = new Option<string[]>("--claim") { Description = "KEY=VALUE: a claimed metric value to place in the seed distribution (flags a likely cherry-pick). Repeatable." };
        var higher = new Option<bool>("--higher-is-better") { Description = "For --claim: bigger values are better (default: guessed from the metric's name; loss/error/time are lower-is-better)." };
        var lower = new Option<bool>("--lower-is-better") { Description = "For --claim: smaller values are better." };
        var json = new Option<bool>("--json") { Description = "Print the study as JSON: every child, every statistic." };
        var options = new RunOptions();
        var command = new Command("seeds", "Run a recorded run (or a command) once per seed as one study and report mean ± std, confidence intervals and the spread of every metric. Usage: repro seeds RUN -n N, or repro seeds -n N [RUN OPTIONS] -- COMMAND. Reference: docs/studies.md")
        {
            run, count, seeds, seedStart, jobs, claims, higher, lower, json,
        };
        options.AddTo(command);
        var executor = new ExecutorFlags();
        executor.AddTo(command);
        var probe = new ProbeFlags();
        probe.AddTo(command, withEvery: true);

        command.SetAction((parse, cancellationToken) => new SeedsCommand(context).RunAsync(
            new SeedsCommandSettings
            {
                Run = parse.GetValue(run),
                Command = context.Trailing.Count > 0 ? options.ToRequest(parse, context, context.Trailing, null) with { Probe = probe.Read(parse) } : null,
                RecordingOptionsGiven = options.GivenRecordingOptions(parse),
                Count = parse.GetValue(count),
                Seeds = parse.GetValue(seeds),
                SeedStart = parse.GetValue(seedStart),
                Jobs = parse.GetValue(jobs),
                JobsGiven = parse.GetResult(jobs) is { Implicit: false },
                Name = parse.GetValue(options.Name),
                Claims = parse.GetValue(claims) ?? [],
                HigherIsBetter = parse.GetValue(higher),
                LowerIsBetter = parse.GetValue(lower),
                Json = parse.GetValue(json),
                Executor = executor.Read(parse),
                Probe = probe.Read(parse),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(SeedsCommandSettings settings, CancellationToken cancellationToken)
    {
        var given = settings.Run;
        var seedList = settings.SeedValues;
        var executorOptions = settings.Executor;
        ExecutorFactory.Create(executorOptions);
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        StoredRun? source = null;
        RunRequest? template = null;
        if (given is not null)
        {
            if (settings.RecordingOptionsGiven is { Count: > 0 } extra)
            {
                throw ReproException.Usage($"{string.Join(", ", extra)} describe a new command; a recorded run is re-run as it was recorded");
            }

            var id = await RunResolver.ResolveAsync(session.Store, given, cancellationToken);
            source = await session.Store.GetAsync(id, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{given}'");
        }
        else
        {
            template = settings.Command;
        }

        var request = new StudyRequest
        {
            Command = template,
            Source = source,
            Seeds = seedList,
            Parallelism = settings.Jobs,
            Name = settings.Name,
            Claims = settings.Claims,
            HigherIsBetter = settings.HigherIsBetter ? true : settings.LowerIsBetter ? false : null,
            Environment = Context.EnvironmentCopy(),
            Executor = executorOptions,
            Probe = settings.Probe,
        };

        if (executorOptions.Name == "slurm")
        {
            // One job array for the whole study; -j, when given, caps the tasks running at once.
            var slurm = Repro.Execution.SlurmOptions.From(executorOptions) with { Throttle = settings.JobsGiven ? request.Parallelism : null };
            return await SlurmStudyWait.SubmitAndWaitAsync(Context, session, request, slurm, settings.Json, cancellationToken);
        }

        // Ctrl+C stops the command, not repro: what ran so far is still recorded and reported.
        using var interrupts = Context.Interrupts.Hold();

        // One seed at a time streams its output (to stderr: stdout carries the study); several at once would interleave, so
        // their output is only kept in each run's record.
        var childOutput = request.Parallelism == 1 ? Context.ErrorStream : Stream.Null;
        var done = 0;
        var finished = new SynchronousProgress<StudyChild>(child =>
        {
            var n = Interlocked.Increment(ref done);
            var status = child.Status == RunStatus.Ok ? "ok" : string.Create(CultureInfo.InvariantCulture, $"FAILED (exit {child.ExitCode})");
            Terminal.Note(Context, string.Create(CultureInfo.InvariantCulture, $"seed {child.Seed} ({n} of {seedList.Count}): run {child.RunId[..8]} {status}"));
        });
        var runner = new StudyRunner(session.Workspace, session.Store, session.Cache, () => session.StatCache(), Context.Time);
        var outcome = await runner.RunAsync(request, childOutput, childOutput, finished, Context.Interrupts.Token);
        var study = outcome.Study;
        if (settings.Json)
        {
            Context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(StudyReport.For(study, outcome.Digest), indented: true)));
            Context.Out.WriteLine();
            foreach (var warning in study.Warnings)
            {
                Terminal.Warning(Context, warning);
            }
        }
        else
        {
            StudyRenderer.Render(Context.Out, study, outcome.Digest);
        }

        return ExitFor(study, Context.Interrupts.IsRequested);
    }

    /// <summary>0 when every seed ran and no claim looks cherry-picked; 1 when a seed failed or a claim does; 3 when no seed succeeded.</summary>
    internal static int ExitFor(RunManifest study, bool cancelled)
    {
        if (cancelled)
        {
            return (int)ExitCode.Cancelled;
        }

        var record = study.Study!;
        if (record.Children.All(c => c.Status != RunStatus.Ok))
        {
            return (int)ExitCode.CannotExecute;
        }

        return record.Children.Any(c => c.Status != RunStatus.Ok) || record.Claims.Any(c => c.Placement.LikelyCherryPick) ? (int)ExitCode.Differs : (int)ExitCode.Ok;
    }
}
