namespace Repro.Judging.Comparison;

/// <summary>
/// Compares an original file with its reproduction, streaming with bounded memory. "Differs" is a
/// result, not an exception; a malformed file is a FAILED or DIVERGED result with a clear detail.
/// </summary>
public interface IFileComparer
{
    /// <summary>Short name reported as the comparer (bytes, text, json, csv, npy, ...).</summary>
    string Name { get; }

    /// <summary>Whether this comparer understands the file, by its recorded path (extension).</summary>
    bool CanCompare(string path);

    /// <summary>Only called when the two files' SHA-256 differ.</summary>
    Task<ComparisonResult> CompareAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken);
}
