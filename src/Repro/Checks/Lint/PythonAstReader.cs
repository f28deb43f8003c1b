using System.Reflection;
using System.Text;
using System.Text.Json;
using Repro.Capture;
using Repro.Catalog;

namespace Repro.Checks.Lint;

/// <summary>
/// Parses Python with the real parser: one interpreter process (costs one start, ~20–50 ms) runs
/// the embedded ast_dump.py over every unit at once and answers with JSON trees.
/// </summary>
public static class PythonAstReader
{
    private static readonly Lazy<string> Helper = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Repro.Checks.Lint.ast_dump.py")
            ?? throw new InvalidOperationException("the embedded ast_dump.py is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    public static async Task<IReadOnlyList<ParsedUnit>> ParseAsync(string interpreter, IReadOnlyList<SourceUnit> units, CancellationToken cancellationToken)
    {
        if (units.Count == 0)
        {
            return [];
        }

        var request = Path.Combine(Path.GetTempPath(), $"repro-lint-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(request, JsonSerializer.Serialize(units.Select(u => u.Text).ToList(), ReproJsonContext.Default.ListString), cancellationToken);

            // -I: isolated (no user site, no PYTHON* variables), -S: no site import; only ast and json are needed.
            var result = await ProcessCapture.RunAsync(interpreter, ["-I", "-S", "-c", Helper.Value, request], null, null, cancellationToken, TimeSpan.FromMinutes(2))
                ?? throw ReproException.CannotExecute($"cannot start the Python interpreter {interpreter}");
            if (result.ExitCode != 0)
            {
                throw ReproException.CannotExecute($"{interpreter} could not parse the sources (exit {result.ExitCode}): {result.Stderr.Trim()}");
            }

            using var document = JsonDocument.Parse(result.Stdout, new JsonDocumentOptions { MaxDepth = 20000 });
            var answers = document.RootElement;
            if (answers.GetArrayLength() != units.Count)
            {
                throw ReproException.CannotExecute($"unexpected answer from {interpreter}: {answers.GetArrayLength()} trees for {units.Count} sources");
            }

            var parsed = new List<ParsedUnit>(units.Count);
            for (var i = 0; i < units.Count; i++)
            {
                var answer = answers[i];
                parsed.Add(answer.TryGetProperty("tree", out var tree)
                    ? new ParsedUnit
                    {
                        Source = units[i],
                        Tree = PyNode.FromJson(tree, units[i].Cell),
                        Comments = answer.GetProperty("comments").EnumerateArray()
                            .GroupBy(c => c[0].GetInt32())
                            .ToDictionary(g => g.Key, g => string.Join(' ', g.Select(c => c[1].GetString()))),
                    }
                    : new ParsedUnit
                    {
                        Source = units[i],
                        SyntaxError = answer.GetProperty("error").GetString(),
                        ErrorLine = answer.GetProperty("line").GetInt32(),
                        ErrorColumn = answer.GetProperty("col").GetInt32(),
                    });
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
}
