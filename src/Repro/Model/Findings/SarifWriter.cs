using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Repro.Model.Findings;

/// <summary>
/// Writes findings as SARIF 2.1.0, the format code-scanning UIs read: one run, the rules in the
/// driver, one result per finding with its location. Notebook findings carry the cell number
/// in the result's properties (SARIF has no notion of cells).
/// </summary>
public static class SarifWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Render(string toolVersion, IReadOnlyList<RuleDescriptor> rules, IReadOnlyList<Finding> findings)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("$schema", SchemaUri);
            w.WriteString("version", "2.1.0");
            w.WriteStartArray("runs");
            w.WriteStartObject();
            w.WriteStartObject("tool");
            w.WriteStartObject("driver");
            w.WriteString("name", "repro");
            w.WriteString("version", toolVersion);
            w.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                w.WriteStartObject();
                w.WriteString("id", rule.Id);
                w.WriteString("name", rule.Name);
                Text(w, "shortDescription", rule.Summary);
                Text(w, "fullDescription", rule.Rationale);
                Text(w, "help", rule.Rationale);
                w.WriteStartObject("defaultConfiguration");
                w.WriteString("level", Level(rule.DefaultSeverity));
                w.WriteEndObject();
                if (rule.Taxonomy is not null)
                {
                    w.WriteStartObject("properties");
                    w.WriteString("taxonomy", rule.Taxonomy);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("results");
            var index = rules.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
            foreach (var finding in findings)
            {
                w.WriteStartObject();
                w.WriteString("ruleId", finding.RuleId);
                if (index.TryGetValue(finding.RuleId, out var ruleIndex))
                {
                    w.WriteNumber("ruleIndex", ruleIndex);
                }

                w.WriteString("level", Level(finding.Severity));
                Text(w, "message", finding.Message);
                if (finding.Path is not null)
                {
                    w.WriteStartArray("locations");
                    w.WriteStartObject();
                    w.WriteStartObject("physicalLocation");
                    w.WriteStartObject("artifactLocation");
                    w.WriteString("uri", Uri(finding.Path));
                    w.WriteEndObject();
                    if (finding.Line is { } line)
                    {
                        w.WriteStartObject("region");
                        w.WriteNumber("startLine", line);
                        if (finding.Column is { } column)
                        {
                            w.WriteNumber("startColumn", column);
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                }

                if (finding.Flow.Count > 0)
                {
                    CodeFlow(w, finding);
                }

                if (finding.Cell is not null || finding.Taxonomy is not null || finding.Figures.Count > 0 || finding.Examples.Count > 0)
                {
                    w.WriteStartObject("properties");
                    if (finding.Cell is { } cell)
                    {
                        w.WriteNumber("cell", cell);
                    }

                    if (finding.Taxonomy is not null)
                    {
                        w.WriteString("taxonomy", finding.Taxonomy);
                    }

                    foreach (var (key, value) in finding.Figures.OrderBy(f => f.Key, StringComparer.Ordinal))
                    {
                        w.WriteNumber(key, value);
                    }

                    if (finding.Examples.Count > 0)
                    {
                        w.WriteStartArray("examples");
                        foreach (var example in finding.Examples)
                        {
                            w.WriteStringValue(example);
                        }

                        w.WriteEndArray();
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    // SARIF's codeFlows: one thread flow whose locations are the steps, cause first, each with its note.
    private static void CodeFlow(Utf8JsonWriter w, Finding finding)
    {
        w.WriteStartArray("codeFlows");
        w.WriteStartObject();
        w.WriteStartArray("threadFlows");
        w.WriteStartObject();
        w.WriteStartArray("locations");
        foreach (var step in finding.Flow)
        {
            w.WriteStartObject();
            w.WriteStartObject("location");
            w.WriteStartObject("physicalLocation");
            w.WriteStartObject("artifactLocation");
            w.WriteString("uri", Uri(step.Path ?? finding.Path ?? string.Empty));
            w.WriteEndObject();
            if (step.Line is { } line)
            {
                w.WriteStartObject("region");
                w.WriteNumber("startLine", line);
                if (step.Column is { } column)
                {
                    w.WriteNumber("startColumn", column);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            Text(w, "message", step.Note);
            if (step.Cell is { } cell)
            {
                w.WriteStartObject("properties");
                w.WriteNumber("cell", cell);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    public static string Level(Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "note",
    };

    private static void Text(Utf8JsonWriter w, string name, string text)
    {
        w.WriteStartObject(name);
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    // SARIF wants a URI reference: relative paths with '/' and percent-escaped spaces and the like.
    private static string Uri(string path) => string.Join('/', path.Replace('\\', '/').Split('/').Select(System.Uri.EscapeDataString));
}
