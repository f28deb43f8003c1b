namespace Repro.Cli.Tests.Faults;

/// <summary>Data big enough that a kill lands inside the work: many small files (one blob each) and a few large ones (the streamed path).</summary>
public static class FaultData
{
    /// <summary>Writes <paramref name="files"/> random 2 KiB files under <paramref name="folder"/> and two random 6 MiB files beside it; returns the paths to add.</summary>
    public static string[] Write(Workdir dir, int seed, string folder = "data/images", int files = 1500)
    {
        var random = new Random(seed);
        var small = new byte[2048];
        for (var i = 0; i < files; i++)
        {
            random.NextBytes(small);
            var path = dir.Combine(folder, $"img{i:D4}.bin");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, small);
        }

        var big = new byte[6 << 20];
        var names = new List<string> { folder };
        for (var i = 0; i < 2; i++)
        {
            random.NextBytes(big);
            var name = $"{folder}-big{i}.bin";
            File.WriteAllBytes(dir.Combine(name), big);
            names.Add(name);
        }

        return [.. names];
    }

    /// <summary>Every regular file under <paramref name="relative"/> with its SHA-256, by relative path (the .gitignore files repro writes aside): what a restored workspace must hold again.</summary>
    public static SortedDictionary<string, string> Snapshot(Workdir dir, params string[] relative)
    {
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in relative)
        {
            var full = dir.Combine(item);
            var files = Directory.Exists(full) ? Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories) : [full];
            foreach (var file in files.Where(f => Path.GetFileName(f) != ".gitignore"))
            {
                found[Path.GetRelativePath(dir.Path, file)] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));
            }
        }

        return found;
    }

    /// <summary>Removes a folder whose files may be read-only (blobs, hard links to blobs).</summary>
    public static void Delete(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path))
        {
            File.SetAttributes(path, FileAttributes.Normal);
            File.Delete(path);
        }
    }

    /// <summary>A colleague's clone: the pointer files and .repro/config.yaml, an empty cache.</summary>
    public static async Task<Workdir> CloneAsync(Workdir source)
    {
        var clone = new Workdir();
        await clone.InitAsync();
        File.Copy(source.Combine(".repro", "config.yaml"), clone.Combine(".repro", "config.yaml"), overwrite: true);
        foreach (var pointer in Directory.EnumerateFiles(source.Path, "*.repro", SearchOption.AllDirectories).Where(p => !p.Contains("/.repro/", StringComparison.Ordinal)))
        {
            var target = clone.Combine(Path.GetRelativePath(source.Path, pointer));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(pointer, target);
        }

        return clone;
    }
}
