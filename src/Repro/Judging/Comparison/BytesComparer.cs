using System.Buffers;
using System.Globalization;
using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>
/// The fallback for unknown formats, pickles and model binaries (never unpickled): bytes either
/// match or not, so a difference is DIVERGED with the first differing offset.
/// </summary>
public sealed class BytesComparer : IFileComparer
{
    private const int Chunk = 1 << 20;

    public static BytesComparer Instance { get; } = new();

    public string Name => "bytes";

    public bool CanCompare(string path) => true;

    public async Task<ComparisonResult> CompareAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken)
    {
        var offset = await FirstDifferenceAsync(originalPath, reproducedPath, cancellationToken);
        var sizeA = new FileInfo(originalPath).Length;
        var sizeB = new FileInfo(reproducedPath).Length;
        var detail = offset is null
            ? "same bytes"
            : string.Create(CultureInfo.InvariantCulture, $"bytes differ from offset {offset} (sizes {sizeA} and {sizeB}); not a format compared with tolerance, so any change diverges");
        return new ComparisonResult { Verdict = offset is null ? Verdict.Identical : Verdict.Diverged, Comparer = Name, Detail = detail };
    }

    /// <summary>The first offset where the two files differ (or where one ends), or null when equal.</summary>
    public static async Task<long?> FirstDifferenceAsync(string a, string b, CancellationToken cancellationToken)
    {
        await using var streamA = new FileStream(a, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        await using var streamB = new FileStream(b, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        var bufferA = ArrayPool<byte>.Shared.Rent(Chunk);
        var bufferB = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            long offset = 0;
            while (true)
            {
                var readA = await streamA.ReadAtLeastAsync(bufferA.AsMemory(0, Chunk), Chunk, throwOnEndOfStream: false, cancellationToken);
                var readB = await streamB.ReadAtLeastAsync(bufferB.AsMemory(0, Chunk), Chunk, throwOnEndOfStream: false, cancellationToken);
                var common = Math.Min(readA, readB);
                var mismatch = bufferA.AsSpan(0, common).CommonPrefixLength(bufferB.AsSpan(0, common));
                if (mismatch < common || readA != readB)
                {
                    return offset + mismatch;
                }

                if (readA == 0)
                {
                    return null;
                }

                offset += readA;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bufferA);
            ArrayPool<byte>.Shared.Return(bufferB);
        }
    }
}
