namespace Repro.Model.Verdicts;

/// <summary>Where a cause lies; the order is the ranking (most likely first).</summary>
public enum CausePillar
{
    Data,
    Code,
    Params,
    Seed,
    Packages,
    Hardware,
    Threads,
    Env,
    Nondeterminism,
}
