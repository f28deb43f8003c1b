using System.Globalization;
using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>Text outputs (logs, reports, source): the first differing line, with both lines.</summary>
public sealed class TextComparer : IFileComparer
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".log", ".md", ".rst", ".py", ".r", ".sql", ".html", ".htm", ".xml", ".tex", ".out", ".ini", ".cfg", ".toml", ".jsonl", ".ndjson", ".svg",
    };

    public string Name => "text";

    public bool CanCompare(string path) => Extensions.Contains(Path.GetExtension(path));

    public async Task<ComparisonResult> CompareAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken)
    {
        using var a = new StreamReader(originalPath);
        using var b = new StreamReader(reproducedPath);
        long line = 0;
        while (true)
        {
            line++;
            var x = await a.ReadLineAsync(cancellationToken);
            var y = await b.ReadLineAsync(cancellationToken);
            if (x is null && y is null)
            {
                // Same lines, different bytes: line endings or a final newline.
                return new ComparisonResult { Verdict = Verdict.Diverged, Comparer = Name, Detail = "same lines, but line endings or the final newline differ" };
            }

            if (x != y)
            {
                return new ComparisonResult
                {
                    Verdict = Verdict.Diverged,
                    Comparer = Name,
                    Detail = string.Create(CultureInfo.InvariantCulture, $"first difference at line {line}: {Show(x)} → {Show(y)}"),
                };
            }
        }
    }

    private static string Show(string? line) => line is null ? "(end of file)" : line.Length > 200 ? $"\"{line[..200]}…\"" : $"\"{line}\"";
}
