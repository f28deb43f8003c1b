using System.CommandLine;
using Repro.Blobs.Data;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Judging.Verification;
using Repro.Model.Serialization;
using Repro.Model.Verdicts;
using Repro.Platform.Diagnostics;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary><c>repro verify RUN</c>: re-run a recorded run, judge every output and metric, explain.</summary>
public sealed class VerifyCommand : CliCommand<VerifyCommandSettings>
{
    public VerifyCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var run = new Argument<string>("run") { Description = "The run to verify: id, prefix, name or @last." };
        var runs = new Option<int>("--runs") { Description = "Re-run K times here; with K ≥ 2, runs that disagree with each other reveal non-determinism here.", DefaultValueFactory = _ => 1 };
        var inPlace = new Option<bool>("--in-place") { Description = "Run in the current working tree (not a scratch checkout of the recorded code and data) and report inputs that changed." };
        var rtol = new Option<double?>("--rtol") { Description = "Relative tolerance (default 1e-5): |reproduced − original| ≤ atol + rtol·|original|." };
        var atol = new Option<double?>("--atol") { Description = "Absolute tolerance (default 1e-8)." };
        var metricTol = new Option<string[]>("--metric-tol") { Description = "KEY=TOL: absolute tolerance for one metric (repeatable)." };
        var minAgreement = new Option<double?>("--min-agreement") { Description = "Lowest share (0..1) of unchanged labels/decisions in a CSV output still judged EQUIVALENT (default 1: any flip diverges)." };
        var toleranceFrom = new Option<string?>("--tolerance-from") { Description = "STUDY: take each metric's tolerance from a seed study (`repro seeds`): a metric may move by k·σ, σ its standard deviation over the study's seeds. Order: defaults < repro.yaml < study < flags." };
        var k = new Option<double?>("--k") { Description = "With --tolerance-from: how many standard deviations a metric may move (default 2)." };
        var json = new Option<bool>("--json") { Description = "Print the verification report as JSON." };
        var ignoreStdout = new Option<bool>("--ignore-stdout") { Description = "Do not judge what the command printed on stdout (judged by default: line by line, numbers with the tolerance, volatile text masked)." };
        var ignoreStderr = new Option<bool>("--ignore-stderr") { Description = "Do not judge what the command printed on stderr." };
        var junit = new Option<string?>("--junit") { Description = "Also write JUnit XML to FILE: one test case per output, metric and printed stream." };
        var command = new Command("verify", "Re-run a recorded run with the same code, data, seed and settings, and judge it IDENTICAL, EQUIVALENT, DIVERGED or FAILED (UNVERIFIED when there was nothing to compare). Reference: docs/verify.md")
        {
            run, runs, inPlace, rtol, atol, metricTol, minAgreement, toleranceFrom, k, ignoreStdout, ignoreStderr, json, junit,
        };
        var executor = new ExecutorFlags();
        executor.AddTo(command);
        var probe = new ProbeFlags();
        probe.AddTo(command, withEvery: false);

        command.SetAction((parse, cancellationToken) => new VerifyCommand(context).RunAsync(
            new VerifyCommandSettings
            {
                Run = parse.GetValue(run)!,
                Runs = parse.GetValue(runs),
                InPlace = parse.GetValue(inPlace),
                Rtol = parse.GetValue(rtol),
                Atol = parse.GetValue(atol),
                MetricTolerances = parse.GetValue(metricTol) ?? [],
                MinAgreement = parse.GetValue(minAgreement),
                ToleranceFrom = parse.GetValue(toleranceFrom),
                K = parse.GetValue(k),
                IgnoreStdout = parse.GetValue(ignoreStdout),
                IgnoreStderr = parse.GetValue(ignoreStderr),
                Json = parse.GetValue(json),
                Junit = parse.GetValue(junit),
                Executor = executor.Read(parse),
                Probe = probe.Read(parse),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(VerifyCommandSettings settings, CancellationToken cancellationToken)
    {
        var executorOptions = settings.Executor;

        // Reading the recorded manifest needs its serializer metadata: built while the store opens.
        _ = CanonicalJson.PrepareInBackground(typeof(Repro.Model.RunManifest));
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        StudyTolerance? fromStudy = null;
        if (settings.ToleranceFrom is { } studyText)
        {
            var study = await Repro.Judging.Studies.StudyResolver.ResolveAsync(session.Store, studyText, cancellationToken);
            fromStudy = StudyTolerance.From(study.Manifest, settings.K ?? StudyTolerance.DefaultK);
        }

        var options = VerifySettings.Build(
            session.Workspace.Root,
            settings.Runs,
            settings.InPlace,
            settings.Rtol,
            settings.Atol,
            settings.MetricTolerances,
            settings.MinAgreement,
            fromStudy,
            settings.IgnoreStdout,
            settings.IgnoreStderr);
        var id = await RunResolver.ResolveAsync(session.Store, settings.Run, cancellationToken);
        var original = await session.Store.GetAsync(id, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{id}'");

        options = options with { Executor = executorOptions, Probe = settings.Probe };

        // Ctrl+C stops the command, not repro: what ran so far is still recorded and reported.
        using var interrupts = Context.Interrupts.Hold();

        PhaseTimings.Mark("verify: run resolved");
        var verifier = new Verifier(session.Workspace, session.Store, session.Cache, () => session.StatCache(), Context.Time)
        {
            Blobs = new RemoteRunBlobSource(session.Workspace, session.Cache),
        };

        // The re-run's own output goes to stderr, so stdout carries only the verdict.
        var childOutput = Context.ErrorStream;
        var status = new SynchronousProgress<string>(message => Terminal.Note(Context, message));
        var report = await verifier.VerifyAsync(original, options, Context.EnvironmentCopy(), childOutput, childOutput, status, Context.Interrupts.Token);

        if (settings.Junit is { } junitPath)
        {
            await AtomicFile.WriteAllTextAsync(Context.FullPath(junitPath), JUnitReport.Render(report), cancellationToken);
        }

        if (settings.Json)
        {
            Context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(report, indented: true)));
        }
        else
        {
            VerificationRenderer.Render(Context.Out, report, Context.OutColour);
        }

        if (Context.Interrupts.IsRequested)
        {
            return (int)ExitCode.Cancelled;
        }

        return report.Verdict switch
        {
            Verdict.Identical or Verdict.Equivalent => (int)ExitCode.Ok,
            Verdict.Diverged => (int)ExitCode.Differs,
            Verdict.Unverified => (int)ExitCode.NothingCompared,
            _ => (int)ExitCode.CannotExecute,
        };
    }
}
