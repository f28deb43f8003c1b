using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Recording.Pipelines;

namespace Repro.Interop.Dvc;

/// <summary>
/// Hashes files and folders the way DVC does (see <see cref="DvcMd5"/>), remembering each file's
/// md5 in repro's stat cache (one table per md5 flavour) so unchanged files are read once.
/// Inside a folder, DVC's default ignores apply: <c>.git</c>, <c>.hg</c> and <c>.dvc</c>.
/// </summary>
public sealed class DvcHasher : IPipelineHasher
{
    public const string Md5 = "md5";

    public const string Md5Dos2Unix = "md5-dos2unix";

    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly IStatCache _md5Cache;
    private readonly IStatCache _dos2UnixCache;
    private readonly TimeProvider _time;
    private readonly string _root;

    public DvcHasher(string root, IStatCache md5Cache, IStatCache dos2UnixCache, TimeProvider time)
    {
        _root = root;
        _md5Cache = md5Cache;
        _dos2UnixCache = dos2UnixCache;
        _time = time;
    }

    public string DefaultHashName => Md5;

    public static DvcHashName Parse(string hashName) => hashName switch
    {
        Md5 => DvcHashName.Md5,
        Md5Dos2Unix => DvcHashName.Md5Dos2Unix,
        _ => throw ReproException.Usage($"hash '{hashName}' is not supported (repro reads DVC's md5 entries)"),
    };

    public static bool IsIgnored(string relative)
    {
        var name = relative[(relative.LastIndexOf('/') + 1)..];
        return name is ".git" or ".hg" or ".dvc";
    }

    public async Task<LockedArtifact?> HashAsync(string fullPath, string recordedPath, string hashName, CancellationToken cancellationToken)
    {
        var name = Parse(hashName);
        if (File.Exists(fullPath))
        {
            var (md5, size) = await HashFileAsync(fullPath, name, cancellationToken);
            await FlushAsync(cancellationToken);
            return new LockedArtifact { Path = recordedPath, Hash = md5, HashName = hashName, Size = size, IsExecutable = IsExecutable(fullPath) };
        }

        if (Directory.Exists(fullPath))
        {
            var files = await ListAsync(fullPath, name, cancellationToken);
            return new LockedArtifact
            {
                Path = recordedPath,
                Hash = DvcMd5.DirHash(files.Select(f => (f.Relative, f.Md5))),
                HashName = hashName,
                Size = files.Sum(f => f.Size),
                Files = files.Count,
            };
        }

        return null;
    }

    /// <summary>Every file of a folder as DVC lists it ('/'-separated relative path, md5, size).</summary>
    public async Task<IReadOnlyList<(string Relative, string Full, string Md5, long Size)>> ListAsync(string fullPath, DvcHashName name, CancellationToken cancellationToken)
    {
        var ignore = DvcIgnore.LoadFor(_root, fullPath);
        var prefix = Path.GetRelativePath(_root, fullPath).Replace('\\', '/');
        if (File.Exists(Path.Combine(fullPath, DvcIgnore.FileName)))
        {
            throw ReproException.Usage($"{prefix}/{DvcIgnore.FileName}: a .dvcignore inside a tracked folder is not allowed (DVC refuses it too)");
        }

        var files = ArtifactHasher.ListFiles(fullPath, relative =>
            IsIgnored(relative)
            || (!ignore.IsEmpty && ignore.IsIgnored(prefix == "." ? relative : $"{prefix}/{relative}", Directory.Exists(Path.Combine(fullPath, relative)))));
        var result = new (string, string, string, long)[files.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (md5, size) = await HashFileAsync(files[i].Full, name, ct);
                result[i] = (files[i].Relative, files[i].Full, md5, size);
            });
        await FlushAsync(cancellationToken);
        return result;
    }

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private async Task<(string Md5, long Size)> HashFileAsync(string fullPath, DvcHashName name, CancellationToken cancellationToken)
    {
        var cache = name == DvcHashName.Md5 ? _md5Cache : _dos2UnixCache;
        var stamp = FileStamp.Read(fullPath) ?? throw ReproException.Usage($"cannot read {fullPath}");
        if (cache.TryGet(fullPath, stamp, out var known))
        {
            return (known, stamp.Size);
        }

        var (md5, size) = await DvcMd5.HashFileAsync(fullPath, name, cancellationToken);
        var mtime = DateTimeOffset.UnixEpoch.AddTicks(stamp.MtimeNs / 100);
        if (_time.GetUtcNow() - mtime > RacyWindow)
        {
            cache.Put(fullPath, stamp, md5);
        }

        return (md5, stamp.Size);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _md5Cache.FlushAsync(cancellationToken);
        await _dos2UnixCache.FlushAsync(cancellationToken);
    }
}
