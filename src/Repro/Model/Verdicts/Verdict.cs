using System.Text.Json.Serialization;

namespace Repro.Model.Verdicts;

/// <summary>How a reproduced result relates to the original, best to worst: the worst part decides. UNVERIFIED is never a part: it is what a verification that compared nothing says.</summary>
[JsonConverter(typeof(VerdictJsonConverter))]
public enum Verdict
{
    /// <summary>Same bytes (same SHA-256) or the same metric value.</summary>
    Identical = 0,

    /// <summary>Different bytes, equal within a named tolerance.</summary>
    Equivalent = 1,

    /// <summary>Outside tolerance.</summary>
    Diverged = 2,

    /// <summary>Could not run, exited differently, or could not be compared.</summary>
    Failed = 3,

    /// <summary>Nothing was compared: no output, no metric and no printed text; only the exit code matched. Not a reproduction.</summary>
    Unverified = 4,
}
