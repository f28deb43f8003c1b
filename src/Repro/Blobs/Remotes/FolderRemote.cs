using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Repro.Blobs.Hashing;
using Repro.Platform;

namespace Repro.Blobs.Remotes;

/// <summary>
/// A remote in a folder (a network share, a mounted disk, another path). Uploads go to a
/// dot-named temp file beside their place, are hashed as they are written and renamed into place
/// only when they match, so an interrupted push leaves no wrong blob, and the next push resumes.
/// </summary>
public sealed class FolderRemote : IRemote
{
    private const int Chunk = 1 << 20;
    private const int SmallBlob = 256 * 1024;

    /// <summary>Folders made by this instance: creating the fan-out folder for every blob costs a mkdir each.</summary>
    private readonly ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

    public string Root { get; }

    public FolderRemote(string root, string display)
    {
        Root = Path.GetFullPath(root);
        Display = display;
    }

    public string Display { get; }

    public Task<IReadOnlySet<string>> ListAsync(CancellationToken cancellationToken)
    {
        RequireRoot();
        var found = new HashSet<string>(StringComparer.Ordinal);
        var blobs = Path.Combine(Root, "sha256");
        if (Directory.Exists(blobs))
        {
            foreach (var folder in Directory.EnumerateDirectories(blobs))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var prefix = Path.GetFileName(folder);
                foreach (var file in Directory.EnumerateFiles(folder))
                {
                    if (BlobKey.Parse($"{prefix}/{Path.GetFileName(file)}") is { } sha)
                    {
                        found.Add(sha);
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlySet<string>>(found);
    }

    public Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken)
    {
        RequireRoot();
        return Task.FromResult(File.Exists(PathFor(sha256)));
    }

    public async Task PutAsync(string sha256, string sourcePath, CancellationToken cancellationToken)
    {
        RequireRoot();
        var destination = PathFor(sha256);
        if (File.Exists(destination))
        {
            return;
        }

        // Beside the blob, dot-named: a rename within one folder does not take the file system's
        // rename lock that every upload from a shared tmp/ would wait on.
        var temp = Path.Combine(Path.GetDirectoryName(destination)!, $".{Guid.NewGuid():N}.tmp");
        if (TryPutSmall(sha256, sourcePath, temp, destination))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = ArrayPool<byte>.Shared.Rent(Chunk);
            try
            {
                await using var input = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
                await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
                int read;
                while ((read = await input.ReadAsync(buffer.AsMemory(0, Chunk), cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var actual = Sha256Hasher.ToHex(hash.GetHashAndReset());
            if (actual != sha256)
            {
                throw ReproException.CannotExecute($"not uploaded: the local blob {sha256[..12]} hashes to {actual[..12]} (corrupt cache; run `repro data fsck`)");
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(temp, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// A small blob with the fast file calls: read whole, hashed, created read-only beside its
    /// place and renamed into it (about nine system calls instead of twenty). False when it does not
    /// apply here (large file, other platform); a hash mismatch throws as the general path does.
    /// </summary>
    private bool TryPutSmall(string sha256, string sourcePath, string temp, string destination)
    {
        if (!LibC.FastFiles
            || !LibC.TryStat(sourcePath, followLinks: true, out _, out var size, out _, out var isDirectory, out _)
            || isDirectory || size > SmallBlob
            || LibC.TryReadSmallFile(sourcePath, size) is not { } bytes)
        {
            return false;
        }

        var actual = Sha256Hasher.HashBytes(bytes.Span);
        if (actual != sha256)
        {
            throw ReproException.CannotExecute($"not uploaded: the local blob {sha256[..12]} hashes to {actual[..12]} (corrupt cache; run `repro data fsck`)");
        }

        EnsureFolder(Path.GetDirectoryName(destination)!);
        if (!LibC.TryWriteNewReadOnlyFile(temp, bytes.Span))
        {
            return false;
        }

        if (LibC.TryRename(temp, destination))
        {
            return true;
        }

        File.Delete(temp);
        return false;
    }

    private void EnsureFolder(string folder)
    {
        if (_folders.TryAdd(folder, true))
        {
            Directory.CreateDirectory(folder);
        }
    }

    public Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        RequireRoot();
        var path = PathFor(sha256);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string PathFor(string sha256) => Path.Combine(Root, "sha256", sha256[..2], sha256[2..]);

    private void RequireRoot()
    {
        if (!Directory.Exists(Root))
        {
            throw ReproException.CannotExecute($"remote {Display} cannot be reached: folder {Root} does not exist");
        }
    }
}
