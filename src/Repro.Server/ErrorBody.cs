using System.Text.Json.Serialization;

namespace Repro.Server;

/// <summary>MLflow's error body: <c>{"error_code": "...", "message": "..."}</c>.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("error_code")] string ErrorCode,
    [property: JsonPropertyName("message")] string Message);
