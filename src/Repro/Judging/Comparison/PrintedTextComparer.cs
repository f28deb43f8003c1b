using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>
/// Judges what a command printed the way a reader would: line by line, volatile text (durations,
/// dates, addresses, temp paths) masked by name, numbers inside a line compared with the run's
/// tolerance (a number right after a metric's name uses that metric's tolerance), everything
/// else exactly. Streams in bounded memory, whatever the size of the text.
/// </summary>
public sealed partial class PrintedTextComparer
{
    private readonly IReadOnlyList<TextMask> _masks;
    private readonly Tolerance _tolerance;
    private readonly IReadOnlyDictionary<string, Tolerance> _named;
    private readonly int _maxExamples;

    public PrintedTextComparer(IReadOnlyList<TextMask> masks, Tolerance tolerance, IReadOnlyDictionary<string, Tolerance>? named = null, int maxExamples = 5)
    {
        _masks = masks;
        _tolerance = tolerance;
        _named = named ?? new Dictionary<string, Tolerance>();
        _maxExamples = maxExamples;
    }

    public async Task<PrintedComparison> CompareAsync(Stream original, Stream reproduced, CancellationToken cancellationToken)
    {
        using var a = new PrintedLineReader(original);
        using var b = new PrintedLineReader(reproduced);
        var examples = new List<PrintedLine>();
        var applied = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long diverged = 0, within = 0, masked = 0, line = 0;
        double? maxAbs = null, maxRel = null;
        PrintedLine? firstExtra = null;
        while (true)
        {
            var x = await a.ReadLineAsync(cancellationToken);
            var y = await b.ReadLineAsync(cancellationToken);
            if (x is null && y is null)
            {
                break;
            }

            line++;
            if (x is null || y is null)
            {
                firstExtra ??= new PrintedLine { Line = line, Original = Cut(x), Reproduced = Cut(y), Judged = "diverged" };
                continue;
            }

            if (string.Equals(x, y, StringComparison.Ordinal))
            {
                continue;
            }

            var judged = JudgeLine(x, y, applied, ref maxAbs, ref maxRel);
            switch (judged)
            {
                case LineJudgement.Masked:
                    masked++;
                    break;
                case LineJudgement.Within:
                    within++;
                    Example(examples, line, x, y, "within tolerance");
                    break;
                default:
                    diverged++;
                    Example(examples, line, x, y, "diverged");
                    break;
            }
        }

        var lengthsDiffer = a.Lines != b.Lines;
        if (firstExtra is not null && examples.Count(e => e.Judged == "diverged") < _maxExamples)
        {
            examples.Add(firstExtra);
        }

        var verdict = diverged > 0 || lengthsDiffer ? Verdict.Diverged : Verdict.Equivalent;
        return new PrintedComparison
        {
            Verdict = verdict,
            Detail = Describe(a.Lines, b.Lines, diverged, within, masked, applied, examples, a.Overwrote || b.Overwrote, maxAbs),
            OriginalLines = a.Lines,
            ReproducedLines = b.Lines,
            DivergedLines = diverged,
            WithinToleranceLines = within,
            MaskedLines = masked,
            MasksApplied = applied,
            Examples = examples,
            MaxAbsError = maxAbs,
            MaxRelError = maxRel,
        };
    }

    /// <summary>The text with every mask applied (what is compared), and the names of the masks that matched.</summary>
    public string Mask(string text, ICollection<string>? matched = null)
    {
        foreach (var mask in _masks)
        {
            try
            {
                var replaced = mask.Regex.Replace(text, $"<{mask.Name}>");
                if (!ReferenceEquals(replaced, text) && !string.Equals(replaced, text, StringComparison.Ordinal))
                {
                    matched?.Add(mask.Name);
                    text = replaced;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern too slow on this line masks nothing here; the line is still compared.
            }
        }

        return text;
    }

    private LineJudgement JudgeLine(string x, string y, SortedDictionary<string, long> applied, ref double? maxAbs, ref double? maxRel)
    {
        // Numbers inside tolerance need no mask: the cheaper test first.
        if (CompareNumbers(x, y, ref maxAbs, ref maxRel))
        {
            return LineJudgement.Within;
        }

        var matched = new SortedSet<string>(StringComparer.Ordinal);
        var mx = Mask(x, matched);
        var my = Mask(y, matched);
        LineJudgement judged;
        if (string.Equals(mx, my, StringComparison.Ordinal))
        {
            judged = LineJudgement.Masked;
        }
        else
        {
            judged = CompareNumbers(mx, my, ref maxAbs, ref maxRel) ? LineJudgement.Within : LineJudgement.Diverged;
        }

        if (judged != LineJudgement.Diverged)
        {
            foreach (var name in matched)
            {
                applied[name] = applied.GetValueOrDefault(name) + 1;
            }
        }

        return judged;
    }

    /// <summary>True when the two lines are the same text around their numbers and every number pair is within tolerance.</summary>
    private bool CompareNumbers(string x, string y, ref double? maxAbs, ref double? maxRel)
    {
        var nx = NumberPattern().Matches(x);
        var ny = NumberPattern().Matches(y);
        if (nx.Count == 0 || nx.Count != ny.Count)
        {
            return false;
        }

        int px = 0, py = 0;
        double lineAbs = 0, lineRel = 0;
        for (var i = 0; i < nx.Count; i++)
        {
            var before = x.AsSpan(px, nx[i].Index - px);
            if (!before.SequenceEqual(y.AsSpan(py, ny[i].Index - py)))
            {
                return false;
            }

            if (!string.Equals(nx[i].Value, ny[i].Value, StringComparison.Ordinal))
            {
                if (!double.TryParse(nx[i].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var u)
                    || !double.TryParse(ny[i].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    || !ToleranceAfter(x, nx[i].Index).Within(u, v))
                {
                    return false;
                }

                lineAbs = Math.Max(lineAbs, Math.Abs(v - u));
                lineRel = Math.Max(lineRel, u == 0 ? 0 : Math.Abs(v - u) / Math.Abs(u));
            }

            px = nx[i].Index + nx[i].Length;
            py = ny[i].Index + ny[i].Length;
        }

        if (!x.AsSpan(px).SequenceEqual(y.AsSpan(py)))
        {
            return false;
        }

        maxAbs = Math.Max(maxAbs ?? 0, lineAbs);
        maxRel = Math.Max(maxRel ?? 0, lineRel);
        return true;
    }

    /// <summary>A metric's own tolerance when its name comes right before the number ("accuracy: 0.93"), else the run's.</summary>
    private Tolerance ToleranceAfter(string line, int index)
    {
        if (_named.Count == 0)
        {
            return _tolerance;
        }

        var before = line.AsSpan(0, index).TrimEnd(" \t:=");
        foreach (var (key, tolerance) in _named)
        {
            if (before.EndsWith(key, StringComparison.Ordinal)
                && (before.Length == key.Length || !char.IsLetterOrDigit(before[before.Length - key.Length - 1])))
            {
                return tolerance;
            }
        }

        return _tolerance;
    }

    private void Example(List<PrintedLine> examples, long line, string x, string y, string judged)
    {
        if (examples.Count < _maxExamples)
        {
            examples.Add(new PrintedLine { Line = line, Original = Cut(x), Reproduced = Cut(y), Judged = judged });
        }
    }

    private static string Describe(long linesA, long linesB, long diverged, long within, long masked, SortedDictionary<string, long> applied, List<PrintedLine> examples, bool overwrote, double? maxAbs)
    {
        var parts = new List<string>();
        var first = examples.FirstOrDefault(e => e.Judged == "diverged");
        if (first is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"first difference at line {first.Line}: {Show(first.Original)} → {Show(first.Reproduced)}"));
        }

        if (linesA != linesB)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"the original printed {Lines(linesA)}, the re-run {Lines(linesB)}"));
        }

        if (diverged > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Lines(diverged)} {Differ(diverged)}"));
        }

        if (within > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Lines(within)} {Differ(within)} only in numbers within tolerance (max abs error {maxAbs ?? 0:G4})"));
        }

        if (masked > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Lines(masked)} {Differ(masked)} only in masked text ({string.Join(", ", applied.Select(p => $"{p.Key} ×{p.Value}"))})"));
        }

        if (overwrote)
        {
            parts.Add("progress overwritten with '\\r' compared as shown last");
        }

        if (parts.Count == 0)
        {
            parts.Add("same lines, but line endings or the final newline differ");
        }

        return string.Join("; ", parts);
    }

    private static string Differ(long n) => n == 1 ? "differs" : "differ";

    private static string Lines(long n) => n == 1 ? "1 line" : string.Create(CultureInfo.InvariantCulture, $"{n} lines");

    private static string? Cut(string? line) => line is null ? null : line.Length > 200 ? line[..200] + "…" : line;

    private static string Show(string? line) => line is null ? "(end of text)" : $"\"{line}\"";

    [GeneratedRegex(@"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    private enum LineJudgement
    {
        Masked,
        Within,
        Diverged,
    }
}
