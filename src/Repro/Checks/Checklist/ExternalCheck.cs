using System.Text.Json;
using Repro.Model.Serialization;

namespace Repro.Checks.Checklist;

/// <summary>
/// The result another repro command leaves for the checklist: <c>.repro/checks/lint.json</c> or
/// <c>leak.json</c>, an object with <c>findings</c> (how many were found), optionally
/// <c>acknowledged</c> (how many of them a person accepted) and <c>run</c> (the run checked).
/// </summary>
public sealed record ExternalCheck(int Findings, int Acknowledged, string? Run)
{
    /// <summary>
    /// Leaves a check's result for the checklist (<c>repro check</c>): how many findings at warning or
    /// above, what was checked and when. Written atomically; the newest check wins.
    /// </summary>
    public static async Task SaveAsync(string reproDirectory, string file, int findings, IReadOnlyList<string> checkedPaths, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(reproDirectory, ChecklistEvaluator.ChecksFolder);
        Directory.CreateDirectory(folder);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("acknowledged", 0);
            writer.WriteString("at", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStartArray("checked");
            foreach (var path in checkedPaths)
            {
                writer.WriteStringValue(path);
            }

            writer.WriteEndArray();
            writer.WriteNumber("findings", findings);
            writer.WriteEndObject();
        }

        await Repro.Blobs.Storage.AtomicFile.WriteAllTextAsync(Path.Combine(folder, file), System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n", cancellationToken);
    }

    /// <summary>The stored result, null when the file does not exist; a malformed file is a user error.</summary>
    public static Task<ExternalCheck?> ReadAsync(string path, CancellationToken cancellationToken) => Task.FromResult(Read(path));

    private static ExternalCheck? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = BoundedJson.ParseFile(path);
            var root = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement : throw new JsonException("not a JSON object");
            var findings = root.TryGetProperty("findings", out var f) && f.ValueKind == JsonValueKind.Number && f.TryGetInt32(out var n) && n >= 0 ? n : throw new JsonException("no \"findings\" count");
            var acknowledged = root.TryGetProperty("acknowledged", out var a) && a.ValueKind == JsonValueKind.Number && a.TryGetInt32(out var k) ? k : 0;
            var run = root.TryGetProperty("run", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return new ExternalCheck(findings, acknowledged, run);
        }
        catch (JsonException ex)
        {
            throw ReproException.Usage($"{path} is not a check result ({{\"findings\": N}}): {ex.Message}");
        }
    }
}
