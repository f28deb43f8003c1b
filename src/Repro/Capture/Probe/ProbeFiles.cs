using System.Reflection;
using System.Security.Cryptography;

namespace Repro.Capture.Probe;

/// <summary>
/// The probe's Python sources, embedded in repro and written once per version of them to
/// <c>.repro/probe/&lt;hash&gt;/</c> (whole, through a temporary folder and a rename), so every
/// run of that version shares the folder and Python compiles the sources only once.
/// </summary>
public static class ProbeFiles
{
    /// <summary>Relative path in the probe folder → resource name.</summary>
    private static readonly (string Path, string Resource)[] Sources =
    [
        ("sitecustomize.py", "Repro.Capture.Probe.python.sitecustomize.py"),
        ("_repro_probe.py", "Repro.Capture.Probe.python._repro_probe.py"),
        (Path.Combine("repro", "__init__.py"), "Repro.Capture.Probe.python.repro.__init__.py"),
    ];

    private static readonly Lazy<(string Hash, IReadOnlyList<(string Path, byte[] Bytes)> Files)> Embedded = new(Load);

    /// <summary>The folder to put first on PYTHONPATH, written when missing.</summary>
    public static string Ensure(string reproDirectory)
    {
        var (hash, files) = Embedded.Value;
        var folder = Path.Combine(reproDirectory, "probe", hash);
        if (File.Exists(Path.Combine(folder, Sources[^1].Path)))
        {
            return folder;
        }

        var temporary = Path.Combine(reproDirectory, "probe", $".{hash}.{Guid.NewGuid():N}");
        try
        {
            foreach (var (path, bytes) in files)
            {
                var full = Path.Combine(temporary, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, bytes);
            }

            try
            {
                Directory.Move(temporary, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, Sources[^1].Path)))
            {
                // Another run wrote the same version meanwhile.
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }

        return folder;
    }

    private static (string, IReadOnlyList<(string, byte[])>) Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new List<(string, byte[])>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, resource) in Sources)
        {
            using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"the probe's {path} is not embedded in repro");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(path + "\n"));
            hash.AppendData(bytes);
            files.Add((path, bytes));
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset())[..16], files);
    }
}
