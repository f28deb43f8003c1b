using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Judging.Comparison;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Judging.Verification;

/// <summary>
/// Judges one declared output: presence, then the same bytes (SHA-256), then the file's comparer
/// (CSV, JSON, NPY, text…) with the output's tolerance; a folder file by file.
/// </summary>
public sealed class OutputJudge(ContentCache cache)
{
    private readonly ContentCache _cache = cache;

    public async Task<OutputJudgement> JudgeAsync(ArtifactRecord original, ArtifactRecord? reproduced, VerifyOptions options, CancellationToken cancellationToken)
    {
        var tolerance = options.OutputTolerances.GetValueOrDefault(original.Path) ?? options.Tolerance;
        var compare = new ComparisonOptions { Tolerance = tolerance, MinAgreement = options.MinAgreement };
        if (reproduced is null || reproduced.Kind == ArtifactKind.Missing)
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = original.Kind == ArtifactKind.Missing ? Verdict.Identical : Verdict.Diverged, Comparer = "presence", Detail = original.Kind == ArtifactKind.Missing ? "missing in both runs" : "not produced by the re-run" }, null);
        }

        if (original.Kind == ArtifactKind.Missing)
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "presence", Detail = "produced by the re-run but missing in the original" }, null);
        }

        if (original.Sha256 == reproduced.Sha256)
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = Verdict.Identical, Comparer = "sha256", Detail = $"same bytes (sha256 {original.Sha256})" }, null);
        }

        if (!_cache.Contains(original.Sha256!))
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "sha256", Detail = $"hashes differ ({original.Sha256![..12]} → {reproduced.Sha256![..12]}) and the original bytes are not in the cache to compare with tolerance" }, null);
        }

        if (original.Kind == ArtifactKind.Dir && reproduced.Kind == ArtifactKind.Dir)
        {
            return Judged(original, reproduced, await CompareFoldersAsync(original, reproduced, compare, cancellationToken), tolerance);
        }

        if (original.Kind != reproduced.Kind)
        {
            return Judged(original, reproduced, new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "kind", Detail = $"was a {original.Kind.ToString().ToLowerInvariant()}, is now a {reproduced.Kind.ToString().ToLowerInvariant()}" }, null);
        }

        var result = await FileComparers.CompareAsync(original.Path, _cache.PathFor(original.Sha256!), _cache.PathFor(reproduced.Sha256!), compare, cancellationToken);
        return Judged(original, reproduced, result, tolerance);
    }

    private async Task<ComparisonResult> CompareFoldersAsync(ArtifactRecord original, ArtifactRecord reproduced, ComparisonOptions options, CancellationToken cancellationToken)
    {
        var before = (await DirectoryListing.ReadAsync(_cache, original.Sha256!, cancellationToken)).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var after = (await DirectoryListing.ReadAsync(_cache, reproduced.Sha256!, cancellationToken)).ToDictionary(e => e.Path, StringComparer.Ordinal);
        var details = new List<string>();
        var verdict = Verdict.Identical;
        double? maxAbs = null;
        double? maxRel = null;
        foreach (var path in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            if (!after.TryGetValue(path, out var b))
            {
                verdict = Verdict.Diverged;
                details.Add($"{path}: not produced");
                continue;
            }

            if (!before.TryGetValue(path, out var a))
            {
                verdict = Verdict.Diverged;
                details.Add($"{path}: new file");
                continue;
            }

            if (a.Sha256 == b.Sha256)
            {
                continue;
            }

            var result = !_cache.Contains(a.Sha256) || !_cache.Contains(b.Sha256)
                ? new ComparisonResult { Verdict = Verdict.Diverged, Comparer = "sha256", Detail = "hashes differ" }
                : await FileComparers.CompareAsync($"{original.Path}/{path}", _cache.PathFor(a.Sha256), _cache.PathFor(b.Sha256), options, cancellationToken);
            verdict = (Verdict)Math.Max((int)verdict, (int)result.Verdict);
            maxAbs = Max(maxAbs, result.MaxAbsError);
            maxRel = Max(maxRel, result.MaxRelError);
            details.Add($"{path}: {result.Verdict.ToString().ToUpperInvariant()} ({result.Comparer}) {result.Detail}");
        }

        var shown = details.Take(options.MaxExamples).ToList();
        if (details.Count > shown.Count)
        {
            shown.Add($"and {details.Count - shown.Count} more");
        }

        return new ComparisonResult
        {
            Verdict = verdict,
            Comparer = "dir",
            Detail = details.Count == 0 ? "same files, same bytes" : string.Join("; ", shown),
            MaxAbsError = maxAbs,
            MaxRelError = maxRel,
        };
    }

    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static OutputJudgement Judged(ArtifactRecord original, ArtifactRecord? reproduced, ComparisonResult result, Tolerance? tolerance) => new()
    {
        Path = original.Path,
        Verdict = result.Verdict,
        Comparer = result.Comparer,
        Detail = result.Detail,
        OriginalSha256 = original.Sha256,
        ReproducedSha256 = reproduced?.Sha256,
        Tolerance = result.Verdict is Verdict.Equivalent or Verdict.Diverged && tolerance is not null ? tolerance.ToString() : null,
        Rtol = result.Verdict is Verdict.Equivalent or Verdict.Diverged ? tolerance?.Rtol : null,
        Atol = result.Verdict is Verdict.Equivalent or Verdict.Diverged ? tolerance?.Atol : null,
        MaxAbsError = result.MaxAbsError,
        MaxRelError = result.MaxRelError,
        MaxUlp = result.MaxUlp,
        OutOfTolerance = result.OutOfTolerance,
        AgreementRate = result.AgreementRate,
    };
}
