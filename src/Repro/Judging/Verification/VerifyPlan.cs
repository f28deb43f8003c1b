using Repro.Capture.Probe;
using Repro.Execution;
using Repro.Model;
using Repro.Recording;

namespace Repro.Judging.Verification;

/// <summary>
/// A verification, checked once before anything runs, straight from the recorded manifest: where
/// the re-runs go (the executor resolved and checked here, once) and what each re-run records.
/// </summary>
public sealed record VerifyPlan
{
    /// <summary>Every re-run's request: kind, parent, tag and the resolved executor.</summary>
    public required ReplayRequest Replay { get; init; }

    /// <summary>The run as users name it: short id and name.</summary>
    public required string Label { get; init; }

    /// <summary>Checks the options against the run and resolves the executor: an executor missing here is a usage error, not a failed verification.</summary>
    public static VerifyPlan For(RunManifest run, VerifyOptions options, Func<ExecutorOptions, IExecutor> executors)
    {
        if (options.Runs < 1)
        {
            throw ReproException.Usage("--runs must be 1 or more");
        }

        if (run.Kind == "study")
        {
            throw ReproException.Usage($"run {run.Id[..8]} is a seed study, not one run: verify one of its seeds (`repro study {run.Id[..8]}` lists them) or the run it studied");
        }

        // A run recorded in a container re-runs in its image unless told otherwise.
        var executor = options.Executor.ForReplayOf(run);
        executors(executor);
        return new VerifyPlan
        {
            Replay = new ReplayRequest
            {
                InPlace = options.InPlace,
                Kind = "verification",
                ParentId = run.Id,
                ExtraTags = new Dictionary<string, string> { ["verifies"] = run.Id },
                Executor = executor,
                Probe = ProbeFor(run, options.Probe),
            },
            Label = $"{run.Id[..8]}{(run.Name is null ? string.Empty : $" ({run.Name})")}",
        };
    }

    /// <summary>
    /// The probe a re-run loads: only when the original had it (the probe seeds from --seed, so a
    /// re-run with it, of a run recorded without it, would not re-run what was recorded), and at
    /// the original's step interval, so the two traces line up. <c>--no-probe</c> still turns it off.
    /// </summary>
    public static ProbeSettings ProbeFor(RunManifest run, ProbeSettings asked) =>
        !asked.Enabled || run.Probe is null ? ProbeSettings.Off : asked with { Every = run.Probe.Every };
}
