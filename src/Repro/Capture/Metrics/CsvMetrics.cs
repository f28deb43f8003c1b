using System.Globalization;
using System.Text;
using Repro.Model;
using Repro.Model.Serialization;

namespace Repro.Capture.Metrics;

/// <summary>
/// A metrics CSV/TSV with a header row. One data row gives one value per column; several rows
/// give a history per column (steps from a <c>step</c> or <c>epoch</c> column, else the row
/// number) whose final value is the last row's.
/// </summary>
public static class CsvMetrics
{
    public static (Dictionary<string, double> Values, Dictionary<string, List<MetricStep>> Steps) Read(string path)
    {
        var maxBytes = CsvLimits.MaxMetricsBytes;
        if (new FileInfo(path).Length > maxBytes.Value)
        {
            throw new InputLimitException(path, string.Create(CultureInfo.InvariantCulture, $"{new FileInfo(path).Length} bytes of metrics CSV"), maxBytes);
        }

        var lines = BoundedFile.ReadLines(path, CsvLimits.MaxLineChars).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
        {
            throw new FormatException($"{path}: empty CSV (a header row is needed)");
        }

        var separator = Path.GetExtension(path).Equals(".tsv", StringComparison.OrdinalIgnoreCase) || (lines[0].Contains('\t', StringComparison.Ordinal) && !lines[0].Contains(',', StringComparison.Ordinal)) ? '\t' : ',';
        var header = Split(lines[0], separator, path, 1);
        var stepColumn = header.FindIndex(h => h.Equals("step", StringComparison.OrdinalIgnoreCase) || h.Equals("epoch", StringComparison.OrdinalIgnoreCase));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var steps = new Dictionary<string, List<MetricStep>>(StringComparer.Ordinal);
        for (var row = 1; row < lines.Count; row++)
        {
            var cells = Split(lines[row], separator, path, row + 1);
            if (cells.Count != header.Count)
            {
                throw new FormatException($"{path}: line {row + 1} has {cells.Count} fields, the header has {header.Count}");
            }

            long step = row - 1;
            if (stepColumn >= 0 && long.TryParse(cells[stepColumn], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                step = parsed;
            }

            for (var column = 0; column < header.Count; column++)
            {
                if (column == stepColumn || !MetricValues.TryParse(cells[column], out var value))
                {
                    continue;
                }

                values[header[column]] = value;
                if (lines.Count > 2)
                {
                    if (!steps.TryGetValue(header[column], out var history))
                    {
                        steps[header[column]] = history = [];
                    }

                    history.Add(new MetricStep(step, value));
                }
            }
        }

        return (values, steps);
    }

    /// <summary>Splits one RFC 4180 line (quoted fields, doubled quotes).</summary>
    internal static List<string> Split(string line, char separator, string path, int lineNumber)
    {
        var maxColumns = CsvLimits.MaxColumns;
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == separator)
            {
                if (fields.Count + 1 >= maxColumns.Value)
                {
                    throw new InputLimitException(path, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} has more than {maxColumns.Value} fields"), maxColumns);
                }

                fields.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            throw new FormatException($"{path}: line {lineNumber} has an unterminated quote");
        }

        fields.Add(current.ToString().Trim());
        return fields;
    }
}
