using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Judging.Comparison;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Judging.Diffing;

/// <summary>
/// Judges what two runs printed on one stream from their captured copies in the cache: the same
/// bytes are IDENTICAL; otherwise <see cref="PrintedTextComparer"/> compares line by line, and a
/// capped capture is never IDENTICAL, since its middle was not kept. Verify and diff share it.
/// </summary>
public sealed class PrintedJudge
{
    private readonly ContentCache _cache;
    private readonly IReadOnlyList<TextMask> _masks;
    private readonly Tolerance _tolerance;
    private readonly IReadOnlyDictionary<string, Tolerance> _streamTolerances;
    private readonly IReadOnlyDictionary<string, Tolerance> _named;

    /// <param name="streamTolerances">Tolerances by stream name ("stdout", "stderr"), else <paramref name="tolerance"/>.</param>
    /// <param name="named">Metric tolerances, for a number printed right after its metric's name.</param>
    public PrintedJudge(ContentCache cache, IReadOnlyList<TextMask> masks, Tolerance tolerance, IReadOnlyDictionary<string, Tolerance>? streamTolerances = null, IReadOnlyDictionary<string, Tolerance>? named = null)
    {
        _cache = cache;
        _masks = masks;
        _tolerance = tolerance;
        _streamTolerances = streamTolerances ?? new Dictionary<string, Tolerance>();
        _named = named ?? new Dictionary<string, Tolerance>();
    }

    public async Task<PrintedJudgement> JudgeAsync(string stream, CapturedOutput original, CapturedOutput reproduced, CancellationToken cancellationToken)
    {
        var truncated = original.Truncated || reproduced.Truncated;
        var cap = truncated ? string.Create(CultureInfo.InvariantCulture, $"; the capture was capped at {Math.Max(original.CapBytes, reproduced.CapBytes)} bytes, so the middle of the text was not kept and not compared") : string.Empty;
        var judged = new PrintedJudgement
        {
            Stream = stream,
            Verdict = Verdict.Identical,
            Comparer = "sha256",
            Detail = string.Empty,
            OriginalSha256 = original.Sha256,
            ReproducedSha256 = reproduced.Sha256,
            OriginalBytes = original.TotalBytes,
            ReproducedBytes = reproduced.TotalBytes,
            Truncated = truncated,
        };
        if (original.TotalBytes == 0 && reproduced.TotalBytes == 0)
        {
            return judged with { Detail = "nothing printed by either run" };
        }

        if (original.Sha256 is not null && original.Sha256 == reproduced.Sha256)
        {
            return truncated
                ? judged with { Verdict = Verdict.Equivalent, Detail = $"the kept head and tail are the same bytes (sha256 {original.Sha256}){cap}" }
                : judged with { Detail = $"same bytes (sha256 {original.Sha256})" };
        }

        var tolerance = _streamTolerances.GetValueOrDefault(stream) ?? _tolerance;
        if (original.Sha256 is null || reproduced.Sha256 is null || !_cache.Contains(original.Sha256) || !_cache.Contains(reproduced.Sha256))
        {
            return judged with { Verdict = Verdict.Diverged, Detail = $"hashes differ ({Short(original.Sha256)} → {Short(reproduced.Sha256)}) and the text is not in the cache to compare line by line" };
        }

        PrintedComparison result;
        await using (var a = File.OpenRead(_cache.PathFor(original.Sha256)))
        await using (var b = File.OpenRead(_cache.PathFor(reproduced.Sha256)))
        {
            result = await new PrintedTextComparer(_masks, tolerance, _named).CompareAsync(a, b, cancellationToken);
        }

        return judged with
        {
            Verdict = result.Verdict,
            Comparer = "printed",
            Detail = result.Detail + cap,
            OriginalLines = result.OriginalLines,
            ReproducedLines = result.ReproducedLines,
            Tolerance = tolerance.ToString(),
            Rtol = tolerance.Rtol,
            Atol = tolerance.Atol,
            MaxAbsError = result.MaxAbsError,
            MaxRelError = result.MaxRelError,
            Masked = result.MasksApplied,
            Lines = result.Examples,
        };
    }

    private static string Short(string? hash) => hash is null ? "(none)" : hash.Length > 12 ? hash[..12] : hash;
}
