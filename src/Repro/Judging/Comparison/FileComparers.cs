using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>Picks a comparer by the recorded path's extension; anything unknown is compared as bytes.</summary>
public static class FileComparers
{
    public static IReadOnlyList<IFileComparer> All { get; } =
    [
        new CsvComparer(),
        StructuredComparer.Json,
        StructuredComparer.Yaml,
        new NpyComparer(),
        new NpzComparer(),
        new SafetensorsComparer(),
        new TextComparer(),
    ];

    public static IFileComparer ForPath(string recordedPath) =>
        All.FirstOrDefault(c => c.CanCompare(recordedPath)) ?? BytesComparer.Instance;

    /// <summary>
    /// Compares two files whose hashes differ. A file that cannot be read gives a FAILED result
    /// naming the problem; the comparers themselves turn malformed content into DIVERGED.
    /// </summary>
    public static async Task<ComparisonResult> CompareAsync(string recordedPath, string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken)
    {
        var comparer = ForPath(recordedPath);
        try
        {
            return await comparer.CompareAsync(originalPath, reproducedPath, options, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ComparisonResult { Verdict = Verdict.Failed, Comparer = comparer.Name, Detail = $"cannot read the files to compare: {ex.Message}" };
        }
    }
}
