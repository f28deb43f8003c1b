using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Execution;
using Repro.Judging.Studies;
using Repro.Model;
using Repro.Model.Serialization;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro seeds RUN|-- COMMAND -n N</c>: one run per seed as a study, and honest statistics over them.</summary>
public static class SeedsCommand
{
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

        command.SetAction(async (parse, cancellationToken) =>
        {
            var given = parse.GetValue(run);
            if (given is null && context.Trailing.Count == 0)
            {
                throw ReproException.Usage("give a recorded run (repro seeds RUN -n N) or a command (repro seeds -n N -- COMMAND)");
            }

            if (given is not null && context.Trailing.Count > 0)
            {
                throw ReproException.Usage("give a recorded run or a command after --, not both");
            }

            if (parse.GetValue(higher) && parse.GetValue(lower))
            {
                throw ReproException.Usage("--higher-is-better and --lower-is-better contradict each other");
            }

            var seedList = SeedList.Build(parse.GetValue(count), parse.GetValue(seeds), parse.GetValue(seedStart));
            var executorOptions = executor.ToOptions(parse);
            ExecutorFactory.Create(executorOptions);
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            StoredRun? source = null;
            RunRequest? template = null;
            if (given is not null)
            {
                if (options.GivenRecordingOptions(parse) is { Count: > 0 } extra)
                {
                    throw ReproException.Usage($"{string.Join(", ", extra)} describe a new command; a recorded run is re-run as it was recorded");
                }

                var id = await RunResolver.ResolveAsync(session.Store, given, cancellationToken);
                source = await session.Store.GetAsync(id, cancellationToken) ?? throw ReproException.Usage($"unknown run '{given}'");
            }
            else
            {
                template = options.ToRequest(parse, context.Trailing, null);
            }

            var request = new StudyRequest
            {
                Command = template,
                Source = source,
                Seeds = seedList,
                Parallelism = parse.GetValue(jobs),
                Name = parse.GetValue(options.Name),
                Claims = parse.GetValue(claims) ?? [],
                HigherIsBetter = parse.GetValue(higher) ? true : parse.GetValue(lower) ? false : null,
                Environment = RunCommand.CurrentEnvironment(),
                Executor = executorOptions,
            };

            if (executorOptions.Name == "slurm")
            {
                // One job array for the whole study; -j, when given, caps the tasks running at once.
                var slurm = Repro.Execution.SlurmOptions.From(executorOptions) with { Throttle = parse.GetResult(jobs) is { Implicit: false } ? request.Parallelism : null };
                return await SlurmStudyWait.SubmitAndWaitAsync(context, session, request, slurm, parse.GetValue(json), cancellationToken);
            }

            using var interrupt = new CancellationTokenSource();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => RunCommand.Interrupt(signal, interrupt));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => RunCommand.Interrupt(signal, interrupt));

            // One seed at a time streams its output (to stderr: stdout carries the study); several at once would interleave, so
            // their output is only kept in each run's record.
            var childOutput = request.Parallelism == 1 ? WriterStream.For(context.Error, true) : Stream.Null;
            var done = 0;
            var finished = new SynchronousProgress<StudyChild>(child =>
            {
                var n = Interlocked.Increment(ref done);
                var status = child.Status == RunStatus.Ok ? "ok" : string.Create(CultureInfo.InvariantCulture, $"FAILED (exit {child.ExitCode})");
                Terminal.Note(context.Error, string.Create(CultureInfo.InvariantCulture, $"seed {child.Seed} ({n} of {seedList.Count}): run {child.RunId[..8]} {status}"));
            });
            var runner = new StudyRunner(session.Workspace, session.Store, session.Cache, () => new SqliteStatCache(session.Workspace.StatePath), context.Time);
            var outcome = await runner.RunAsync(request, childOutput, childOutput, finished, interrupt.Token);
            var study = outcome.Study;
            if (parse.GetValue(json))
            {
                context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(StudyReport.For(study, outcome.Digest), indented: true)));
                context.Out.WriteLine();
                foreach (var warning in study.Warnings)
                {
                    Terminal.Warning(context.Error, warning);
                }
            }
            else
            {
                StudyRenderer.Render(context.Out, study, outcome.Digest);
            }

            return ExitFor(study, interrupt.IsCancellationRequested);
        });
        return command;
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
