using System.Buffers;
using System.Security.Cryptography;
using Repro.Recording.Pipelines;

namespace Repro.Interop.Dvc;

/// <summary>
/// DVC 3's local cache (<c>.dvc/cache/files/md5/ab/cdef…</c>, folders as their <c>.dir</c>
/// listing object), so that after repro ran a stage <c>dvc status</c> finds its outputs cached
/// and <c>dvc checkout</c> can restore them. Blobs are copied to a temp file, checked against
/// their md5, made read-only and renamed into place, as DVC's own are.
/// </summary>
public sealed class DvcCache
{
    private readonly DvcHasher _hasher;

    private DvcCache(string filesRoot, DvcHasher hasher)
    {
        FilesRoot = filesRoot;
        _hasher = hasher;
    }

    /// <summary>The folder holding md5-addressed objects.</summary>
    public string FilesRoot { get; }

    /// <summary>The cache of a DVC repository (one with a <c>.dvc/</c> folder), or null outside one.</summary>
    public static DvcCache? Find(string root, DvcHasher hasher)
    {
        var dvcDir = Path.Combine(root, ".dvc");
        if (!Directory.Exists(dvcDir))
        {
            return null;
        }

        var cacheDir = ConfiguredCacheDir(dvcDir) ?? Path.Combine(dvcDir, "cache");
        return new DvcCache(Path.Combine(cacheDir, "files", "md5"), hasher);
    }

    public string PathFor(string md5) => Path.Combine(FilesRoot, md5[..2], md5[2..]);

    /// <summary>Adds a file or folder whose entry was just computed (DVC 3 md5).</summary>
    public async Task AddAsync(string fullPath, LockedArtifact entry, CancellationToken cancellationToken)
    {
        if (entry.HashName != DvcHasher.Md5)
        {
            return;
        }

        if (entry.Files is null)
        {
            await AddFileAsync(fullPath, entry.Hash, cancellationToken);
            return;
        }

        var files = await _hasher.ListAsync(fullPath, DvcHashName.Md5, cancellationToken);
        foreach (var file in files)
        {
            await AddFileAsync(file.Full, file.Md5, cancellationToken);
        }

        var listing = DvcMd5.DirListing(files.Select(f => (f.Relative, f.Md5)));
        var destination = PathFor(entry.Hash);
        if (!File.Exists(destination))
        {
            var temp = TempPath(destination);
            await File.WriteAllBytesAsync(temp, listing, cancellationToken);
            Publish(temp, destination);
        }
    }

    private static string? ConfiguredCacheDir(string dvcDir)
    {
        string? dir = null;
        foreach (var name in new[] { "config", "config.local" })
        {
            var path = Path.Combine(dvcDir, name);
            if (!File.Exists(path))
            {
                continue;
            }

            var section = string.Empty;
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Trim();
                if (line.StartsWith('[') && line.EndsWith(']'))
                {
                    section = line[1..^1].Trim().Trim('\'', '"');
                }
                else if (section == "cache" && line.Split('=', 2) is [var key, var value] && key.Trim() == "dir")
                {
                    dir = Path.GetFullPath(value.Trim(), dvcDir);
                }
            }
        }

        return dir;
    }

    private static string TempPath(string destination)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        return destination + "." + Guid.NewGuid().ToString("N") + ".tmp";
    }

    private static void Publish(string temp, string destination)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        File.Move(temp, destination, overwrite: true);
    }

    private async Task AddFileAsync(string source, string md5, CancellationToken cancellationToken)
    {
        var destination = PathFor(md5);
        if (File.Exists(destination))
        {
            return;
        }

        var temp = TempPath(destination);
        try
        {
            // md5 is DVC's content address here, not a security measure.
#pragma warning disable CA5351
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0, FileOptions.SequentialScan);
                await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
                int read;
                while ((read = await input.ReadAsync(buffer.AsMemory(0, 1 << 20), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), md5, StringComparison.Ordinal))
            {
                throw ReproException.CannotExecute($"{source} changed while it was copied into DVC's cache; run the stage again when nothing writes to it");
            }

            Publish(temp, destination);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
