using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.Model.Verdicts;

/// <summary>Verdicts travel in the words users read: IDENTICAL, EQUIVALENT, DIVERGED, FAILED.</summary>
public sealed class VerdictJsonConverter : JsonStringEnumConverter<Verdict>
{
    public VerdictJsonConverter()
        : base(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false)
    {
    }
}
