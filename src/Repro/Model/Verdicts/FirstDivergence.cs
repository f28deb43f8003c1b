namespace Repro.Model.Verdicts;

/// <summary>
/// Where two runs' traces first part: the first traced call whose inputs were identical but
/// whose output or fitted state was not (or, when its inputs already differed, where they came
/// from), with what differed and the likely cause.
/// </summary>
public sealed record FirstDivergence
{
    /// <summary>The call's place among its process's traced calls (0-based).</summary>
    public required int Index { get; init; }

    /// <summary>The process (0: the command itself; 1, 2…: its Python children in order of their first event).</summary>
    public int Process { get; init; }

    /// <summary>The call, as <c>MLPClassifier.fit</c>, <c>KFold.split (fold 0)</c>, <c>SGD.step (step 100)</c>.</summary>
    public required string Call { get; init; }

    public string? Class { get; init; }

    /// <summary>Inputs whose fingerprints were equal in both runs (X, y, …).</summary>
    public IReadOnlyList<string> EqualInputs { get; init; } = [];

    /// <summary>Inputs whose fingerprints differed: the divergence started earlier, outside this call.</summary>
    public IReadOnlyList<string> DifferingInputs { get; init; } = [];

    /// <summary>What differed: <c>fitted state (coefs_, intercepts_)</c>, <c>output 0</c>, or the call itself.</summary>
    public IReadOnlyList<string> Differed { get; init; } = [];

    /// <summary>unseeded_rng, seed, changed_default, parameter, thread_count, library_version, nondeterministic, untraced_input, different_calls.</summary>
    public required string CauseKind { get; init; }

    /// <summary>The likely cause, as a sentence.</summary>
    public required string Cause { get; init; }

    /// <summary>True when the inputs already differed and the search walked back to where they came from.</summary>
    public bool WalkedBack { get; init; }

    /// <summary>Some fingerprint compared covers only the first budget bytes of its value.</summary>
    public bool Partial { get; init; }

    /// <summary>One line: the call, what was equal, what was not, and why.</summary>
    public required string Summary { get; init; }
}
