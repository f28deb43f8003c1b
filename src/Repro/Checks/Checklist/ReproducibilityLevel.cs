namespace Repro.Checks.Checklist;

/// <summary>
/// Gundersen's reproducibility types, ordered by how much of the experiment travels with the
/// result: the description only, plus the code, plus the data, or the whole experiment
/// (code, data and environment).
/// </summary>
public enum ReproducibilityLevel
{
    /// <summary>R1 Description: what was run, with which parameters and results, is recorded.</summary>
    R1 = 1,

    /// <summary>R2 Code: the exact code is recoverable too.</summary>
    R2 = 2,

    /// <summary>R3 Data: the exact data is recoverable too.</summary>
    R3 = 3,

    /// <summary>R4 Experiment: code, data and environment, all recoverable.</summary>
    R4 = 4,
}
