using System.Text.Json;

namespace Repro.Checks;

/// <summary>
/// The result another repro command leaves for the checklist: <c>.repro/checks/lint.json</c> or
/// <c>leak.json</c>, an object with <c>findings</c> (how many were found), optionally
/// <c>acknowledged</c> (how many of them a person accepted) and <c>run</c> (the run checked).
/// </summary>
public sealed record ExternalCheck(int Findings, int Acknowledged, string? Run)
{
    /// <summary>The stored result, null when the file does not exist; a malformed file is a user error.</summary>
    public static async Task<ExternalCheck?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            var root = document.RootElement;
            var findings = root.TryGetProperty("findings", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : throw new JsonException("no \"findings\" number");
            var acknowledged = root.TryGetProperty("acknowledged", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt32() : 0;
            var run = root.TryGetProperty("run", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return new ExternalCheck(findings, acknowledged, run);
        }
        catch (JsonException ex)
        {
            throw ReproException.Usage($"{path} is not a check result ({{\"findings\": N}}): {ex.Message}");
        }
    }
}
