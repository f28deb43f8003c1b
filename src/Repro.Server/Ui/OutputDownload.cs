using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Repro.Blobs.Storage;
using Repro.Model;

namespace Repro.Server.Ui;

/// <summary>
/// <c>/runs/RUN/outputs/PATH</c>: a declared output of a run, streamed from the content cache.
/// The path only picks one of the run's recorded outputs by string equality; the file read is
/// the cache's blob for the recorded SHA-256, never a path from the request. The bytes are
/// hashed as they go out and the last chunk is held back until the hash matches: a blob that
/// changed in the cache ends in an aborted response, never in a complete wrong file.
/// </summary>
internal static class OutputDownload
{
    private const int Chunk = 1 << 16;

    /// <summary>Content types served as such; anything else (HTML and SVG above all, which could run script here) is octet-stream.</summary>
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain; charset=utf-8",
        [".log"] = "text/plain; charset=utf-8",
        [".md"] = "text/plain; charset=utf-8",
        [".csv"] = "text/csv; charset=utf-8",
        [".tsv"] = "text/tab-separated-values; charset=utf-8",
        [".json"] = "application/json",
        [".jsonl"] = "application/x-ndjson",
        [".yaml"] = "text/plain; charset=utf-8",
        [".yml"] = "text/plain; charset=utf-8",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".pdf"] = "application/pdf",
        [".gz"] = "application/gzip",
        [".zip"] = "application/zip",
        [".tar"] = "application/x-tar",
        [".onnx"] = "application/octet-stream",
    };

    public static string ContentType(string path) => Types.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");

    /// <summary>The output of <paramref name="run"/> declared as <paramref name="path"/>, or null.</summary>
    public static ArtifactRecord? Find(RunManifest run, string path) => run.Outputs.FirstOrDefault(o => string.Equals(o.Path, path, StringComparison.Ordinal));

    /// <summary>Streams the blob; false (nothing written) when it is not in the cache.</summary>
    public static async Task<bool> WriteAsync(HttpContext http, ContentCache cache, ArtifactRecord output)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(cache.PathFor(output.Sha256!), FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            return false;
        }

        await using (stream)
        {
            var response = http.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType(output.Path);
            response.ContentLength = stream.Length;
            response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = Path.GetFileName(output.Path), DispositionType = "attachment" }.ToString();
            response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
            response.Headers.CacheControl = "private, max-age=31536000, immutable";
            response.Headers.ETag = $"\"{output.Sha256}\"";
            response.Headers["X-Repro-Sha256"] = output.Sha256;

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var current = ArrayPool<byte>.Shared.Rent(Chunk);
            var held = ArrayPool<byte>.Shared.Rent(Chunk);
            try
            {
                var heldCount = -1;
                while (true)
                {
                    var read = await ReadChunkAsync(stream, current, http.RequestAborted);
                    if (read == 0)
                    {
                        break;
                    }

                    hash.AppendData(current, 0, read);
                    if (heldCount >= 0)
                    {
                        await response.Body.WriteAsync(held.AsMemory(0, heldCount), http.RequestAborted);
                    }

                    (current, held) = (held, current);
                    heldCount = read;
                }

                if (Convert.ToHexStringLower(hash.GetHashAndReset()) != output.Sha256)
                {
                    // Content-Length promised the whole file: a reset connection is a failed download, never a wrong one.
                    http.Abort();
                    return true;
                }

                if (heldCount > 0)
                {
                    await response.Body.WriteAsync(held.AsMemory(0, heldCount), http.RequestAborted);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(current);
                ArrayPool<byte>.Shared.Return(held);
            }
        }

        return true;
    }

    private static async Task<int> ReadChunkAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < Chunk)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total, Chunk - total), cancellationToken);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
