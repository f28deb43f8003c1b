using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Repro.Judging.Comparison;

/// <summary>
/// One named pattern of volatile printed text (a duration, a date, an address) that is replaced
/// by <c>&lt;name&gt;</c> on both sides before two printed lines are compared. The verdict lists
/// every mask in force, so a reader knows what was not compared.
/// </summary>
public sealed record TextMask
{
    /// <summary>Matching is bounded: a pattern that takes longer than this on one line is a user error.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    public required string Name { get; init; }

    /// <summary>The regular expression (.NET syntax), as shown to users.</summary>
    public required string Pattern { get; init; }

    /// <summary>"built-in", or the file that added it.</summary>
    public required string Source { get; init; }

    [JsonIgnore]
    public required Regex Regex { get; init; }
}
