using System.Reflection;
using System.Text;
using System.Text.Json;
using Repro.Capture;
using Repro.Model.Serialization;

namespace Repro.Checks.Lint;

/// <summary>
/// Parses Python with the real parser: interpreter processes (each costs one start, ~20–50 ms) run
/// the embedded ast_dump.py over batches of units and answer with JSON trees. Batches keep each
/// answer, and the time one process may take, bounded however many files are linted.
/// </summary>
public static class PythonAstReader
{
    /// <summary>Source per interpreter process: about ten seconds of parsing on a busy machine.</summary>
    private const int BatchBytes = 1 << 20;

    private static readonly TimeSpan BatchTimeout = TimeSpan.FromMinutes(2);

    private static readonly Lazy<string> Helper = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Repro.Checks.Lint.ast_dump.py")
            ?? throw new InvalidOperationException("the embedded ast_dump.py is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    public static async Task<IReadOnlyList<ParsedUnit>> ParseAsync(string interpreter, IReadOnlyList<SourceUnit> units, CancellationToken cancellationToken)
    {
        var parsed = new List<ParsedUnit>(units.Count);
        foreach (var batch in Batches(units))
        {
            parsed.AddRange(await ParseBatchAsync(interpreter, batch, cancellationToken));
        }

        return parsed;
    }

    private static IEnumerable<List<SourceUnit>> Batches(IReadOnlyList<SourceUnit> units)
    {
        var batch = new List<SourceUnit>();
        long size = 0;
        foreach (var unit in units)
        {
            var length = unit.Bytes?.Length ?? unit.Text.Length;
            if (batch.Count > 0 && size + length > BatchBytes)
            {
                yield return batch;
                batch = [];
                size = 0;
            }

            batch.Add(unit);
            size += length;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static async Task<IReadOnlyList<ParsedUnit>> ParseBatchAsync(string interpreter, List<SourceUnit> units, CancellationToken cancellationToken)
    {
        var request = Path.Combine(Path.GetTempPath(), $"repro-lint-{Guid.NewGuid():N}.json");
        try
        {
            // "b" + base64: a script's bytes, decoded by the interpreter; "t" + text: a notebook cell.
            var sources = units.Select(u => u.Bytes is { } bytes ? "b" + Convert.ToBase64String(bytes.Span) : "t" + u.Text).ToList();
            await File.WriteAllTextAsync(request, JsonSerializer.Serialize(sources, CanonicalJson.TypeInfo<List<string>>()), cancellationToken);

            // -I: isolated (no user site, no PYTHON* variables), -S: no site import; only ast and json are needed.
            var result = await ProcessCapture.RunAsync(interpreter, ["-I", "-S", "-c", Helper.Value, request], null, null, cancellationToken, BatchTimeout)
                ?? throw ReproException.CannotExecute($"cannot start the Python interpreter {interpreter}");
            if (result.ExitCode != 0)
            {
                throw ReproException.CannotExecute($"{interpreter} could not parse the sources (exit {result.ExitCode}): {result.Stderr.Trim()}");
            }

            using var document = JsonDocument.Parse(result.Stdout, new JsonDocumentOptions { MaxDepth = 20000 });
            var answers = document.RootElement;
            if (answers.ValueKind != JsonValueKind.Array || answers.GetArrayLength() != units.Count)
            {
                throw ReproException.CannotExecute($"unexpected answer from {interpreter}: not one tree for each of the {units.Count} sources");
            }

            var parsed = new List<ParsedUnit>(units.Count);
            for (var i = 0; i < units.Count; i++)
            {
                parsed.Add(Read(units[i], answers[i]));
            }

            return parsed;
        }
        catch (JsonException ex)
        {
            throw ReproException.CannotExecute($"unexpected answer from {interpreter}: {ex.Message}");
        }
        finally
        {
            File.Delete(request);
        }
    }

    // One unit's answer; an answer repro cannot read makes that unit "not analysed", never the lint fail.
    private static ParsedUnit Read(SourceUnit unit, JsonElement answer)
    {
        try
        {
            if (answer.TryGetProperty("tree", out var tree))
            {
                return new ParsedUnit
                {
                    Source = unit,
                    Tree = PyNode.FromJson(tree, unit.Cell),
                    Comments = answer.GetProperty("comments").EnumerateArray()
                        .GroupBy(c => c[0].GetInt32())
                        .ToDictionary(g => g.Key, g => string.Join(' ', g.Select(c => c[1].GetString()))),
                };
            }

            if (answer.TryGetProperty("limit", out var limit))
            {
                return new ParsedUnit { Source = unit, NotAnalysed = limit.GetString() };
            }

            return new ParsedUnit
            {
                Source = unit,
                SyntaxError = answer.GetProperty("error").GetString(),
                ErrorLine = Math.Max(1, answer.GetProperty("line").GetInt32()),
                ErrorColumn = Math.Max(1, answer.GetProperty("col").GetInt32()),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException)
        {
            return new ParsedUnit { Source = unit, NotAnalysed = $"its syntax tree could not be read ({ex.GetType().Name}: {ex.Message.Split('\n')[0]})" };
        }
    }
}
