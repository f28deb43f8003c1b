using System.Globalization;
using System.Text.Json;
using Repro.Model.Serialization;

namespace Repro.Checks.Lint;

/// <summary>
/// The code cells of a Jupyter notebook (.ipynb, nbformat 4), in order. IPython syntax that is not
/// Python (<c>%magic</c>, <c>!shell</c>, <c>%%cell magics</c>) becomes <c>pass</c> so line numbers stay.
/// </summary>
public static class NotebookReader
{
    // Cell magics whose body is still Python (the rest, %%bash, %%html…, are blanked whole).
    private static readonly HashSet<string> PythonCellMagics = new(StringComparer.Ordinal) { "time", "timeit", "capture", "prun" };

    public static IReadOnlyList<SourceUnit> Read(string displayPath, string json)
    {
        JsonDocument document;
        try
        {
            document = BoundedJson.Parse(json, displayPath, maxBytes: NotebookLimits.MaxBytes);
        }
        catch (JsonException ex)
        {
            throw ReproException.Usage($"{displayPath}: not a notebook (invalid JSON: {ex.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw ReproException.Usage($"{displayPath}: not a notebook (no \"cells\" list)");
            }

            var maxCells = NotebookLimits.MaxCells;
            if (cells.GetArrayLength() > maxCells.Value)
            {
                throw new InputLimitException(displayPath, string.Create(CultureInfo.InvariantCulture, $"{cells.GetArrayLength()} cells"), maxCells);
            }

            var units = new List<SourceUnit>();
            var number = 0;
            foreach (var cell in cells.EnumerateArray())
            {
                if (cell.ValueKind != JsonValueKind.Object || !cell.TryGetProperty("cell_type", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != "code")
                {
                    continue;
                }

                number++;
                var text = cell.TryGetProperty("source", out var source) ? Source(source) : string.Empty;
                var lines = text.Split('\n');
                var cellMagic = lines[0].TrimStart().StartsWith("%%", StringComparison.Ordinal);
                var pythonBody = cellMagic && PythonCellMagics.Contains(lines[0].TrimStart()[2..].Split(' ')[0].Trim());
                units.Add(new SourceUnit { Path = displayPath, Cell = number, Text = string.Join('\n', Python(lines, cellMagic, pythonBody)) });
            }

            return units;
        }
    }

    private static string Source(JsonElement source) => source.ValueKind switch
    {
        JsonValueKind.String => source.GetString() ?? string.Empty,
        JsonValueKind.Array => string.Concat(source.EnumerateArray().Select(s => s.ValueKind == JsonValueKind.String ? s.GetString() : null)),
        _ => string.Empty,
    };

    // Magics become pass (or, for the body of a %%file/%%bash cell and the continuation lines of a
    // line magic that goes on over several lines, empty lines), so the rest parses and line numbers stay.
    private static IEnumerable<string> Python(string[] lines, bool cellMagic, bool pythonBody)
    {
        var open = 0;
        var continued = false;
        // Where the Python around it stands: a line inside its brackets, a string or after a
        // backslash continues a statement (`print('a %d'\n      % x)`) and is never a magic.
        var code = new PythonLineState();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (cellMagic && i > 0 && !pythonBody)
            {
                yield return string.Empty;
            }
            else if (open > 0 || continued)
            {
                open = Math.Max(0, open + Depth(line));
                continued = line.TrimEnd().EndsWith('\\');
                yield return string.Empty;
            }
            else if ((cellMagic && i == 0) || (!code.Continues && IsMagic(line)))
            {
                open = Math.Max(0, Depth(line));
                continued = line.TrimEnd().EndsWith('\\');
                yield return Blank(line);
            }
            else
            {
                code.Read(line);
                yield return line;
            }
        }
    }

    // Brackets a line opens minus those it closes (quotes not considered: a magic's arguments rarely hold brackets in strings).
    private static int Depth(string line) => line.Count(c => c is '(' or '[' or '{') - line.Count(c => c is ')' or ']' or '}');

    private static bool IsMagic(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith('%') || trimmed.StartsWith('!');
    }

    private static string Blank(string line)
    {
        var indent = line.Length - line.TrimStart().Length;
        return line.TrimStart().Length == 0 ? line : line[..indent] + "pass";
    }
}
