using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Repro.Capture;

namespace Repro.Tests.Shared;

/// <summary>
/// A tiny local image for the container tests, built without a registry: this machine's
/// /usr/bin/python3 with its standard library and the shared libraries ldd lists, /bin/sh
/// (dash), a few coreutils (true, sleep, mkdir, cat...), and one distribution of its own (reprotest-inside 1.0.0) so a probe inside the image
/// is told apart from one on the host. Imported with <c>podman import</c> once per content: the
/// tag is a hash of every file's path, size and time, so later tests and runs reuse it.
/// </summary>
public static partial class TestImage
{
    public const string InsidePackage = "reprotest-inside";

    public const string InsideVersion = "1.0.0";

    private const string Builder = "repro-test-image/1";

    private static readonly string[] SkippedStdlib = ["test", "idlelib", "tkinter", "ensurepip", "lib2to3", "pydoc_data", "__pycache__", "dist-packages", "site-packages"];

    /// <summary>The few tools the executor contract's sh one-liners and the bench use.</summary>
    private static readonly string[] CoreTools = ["true", "false", "sleep", "mkdir", "cat", "ls", "rm", "env"];

    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    /// <summary>The image's tag (repro-test:HASH), built on first use.</summary>
    public static Task<string> TagAsync() => Built.Value;

    public static string Podman => ExecutableResolver.Find("podman", System.Environment.GetEnvironmentVariable("PATH"))
        ?? throw new InvalidOperationException("podman is not installed: scripts/setup installs it (Debian: apt-get install podman runc)");

    /// <summary>Runs podman and fails the test with its stderr when it fails.</summary>
    public static async Task<string> PodmanAsync(params string[] arguments)
    {
        var result = await ProcessCapture.RunAsync(Podman, arguments, null, null, CancellationToken.None, TimeSpan.FromMinutes(3))
            ?? throw new InvalidOperationException("cannot start podman");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"podman {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Stderr}");
        }

        return result.StdoutText.Trim();
    }

    /// <summary>A second image with the same content but its own id, under <paramref name="tag"/>: for tests that remove it.</summary>
    public static async Task<string> ImportCopyAsync(string tag)
    {
        await TagAsync();
        var (_, tar) = await RootfsAsync();
        return await PodmanAsync("import", "--change", "ENV PATH=/usr/local/bin:/usr/bin:/bin", "--change", $"LABEL repro.test.copy={tag}", tar, tag);
    }

    private static async Task<string> BuildAsync()
    {
        if (!File.Exists("/etc/containers/containers.conf"))
        {
            throw new InvalidOperationException("/etc/containers/containers.conf is missing: scripts/setup writes it (runc, cgroupfs, explicit ulimits)");
        }

        var (hash, tar) = await RootfsAsync();
        var tag = $"repro-test:{hash}";
        var exists = await ProcessCapture.RunAsync(Podman, ["image", "exists", tag], null, null, CancellationToken.None);
        if (exists is not { ExitCode: 0 })
        {
            await PodmanAsync("import", "--change", "ENV PATH=/usr/local/bin:/usr/bin:/bin", tar, tag);
        }

        return tag;
    }

    /// <summary>The rootfs tarball (written once per content into the user's cache folder) and its content hash.</summary>
    private static async Task<(string Hash, string Tar)> RootfsAsync()
    {
        var files = await FilesAsync();
        var identity = new StringBuilder(Builder).Append('\n');
        foreach (var (inside, host) in files)
        {
            var info = new FileInfo(host);
            identity.Append(CultureInfo.InvariantCulture, $"{inside}\t{host}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..12];
        var cache = Path.Combine(System.Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache"), "repro-tests", "images");
        Directory.CreateDirectory(cache);
        var tar = Path.Combine(cache, $"python-{hash}.tar");
        if (!File.Exists(tar))
        {
            var temp = $"{tar}.{Guid.NewGuid():N}.tmp";
            await using (var stream = File.Create(temp))
            {
                await WriteTarAsync(stream, files);
            }

            File.Move(temp, tar, overwrite: true);
        }

        return (hash, tar);
    }

    /// <summary>Path inside the image to the host file it copies (symlinks followed).</summary>
    private static async Task<SortedDictionary<string, string>> FilesAsync()
    {
        var python = Path.GetFullPath(new FileInfo("/usr/bin/python3").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/usr/bin/python3");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["usr/bin/python3"] = python,
            [$"usr/bin/{Path.GetFileName(python)}"] = python,
            ["bin/sh"] = "/bin/dash",
        };
        foreach (var tool in CoreTools)
        {
            files[$"bin/{tool}"] = $"/usr/bin/{tool}";
        }

        var ldd = await ProcessCapture.RunAsync("ldd", [python, "/bin/dash", .. CoreTools.Select(t => $"/usr/bin/{t}")], null, null, CancellationToken.None)
            ?? throw new InvalidOperationException("ldd is missing");
        foreach (Match match in LibraryPath().Matches(ldd.StdoutText))
        {
            files.TryAdd(match.Value.TrimStart('/'), match.Value);
        }

        var stdlib = $"/usr/lib/{Path.GetFileName(python)}";
        foreach (var file in Directory.EnumerateFiles(stdlib, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(stdlib, file);
            if (relative.Split('/').Any(part => SkippedStdlib.Contains(part, StringComparer.Ordinal)))
            {
                continue;
            }

            files[Path.Combine(stdlib.TrimStart('/'), relative)] = file;
        }

        return files;
    }

    private static async Task WriteTarAsync(Stream stream, SortedDictionary<string, string> files)
    {
        await using var writer = new TarWriter(stream, TarEntryFormat.Pax, leaveOpen: true);
        var directories = new SortedSet<string>(StringComparer.Ordinal) { "tmp", "proc", "sys", "dev", "etc", "root", "usr/lib/python3/dist-packages" };
        foreach (var inside in files.Keys)
        {
            for (var parent = Path.GetDirectoryName(inside); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            {
                directories.Add(parent);
            }
        }

        foreach (var directory in directories.ToList())
        {
            for (var parent = Path.GetDirectoryName(directory); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            {
                directories.Add(parent);
            }
        }

        foreach (var directory in directories)
        {
            var mode = directory == "tmp"
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory + "/") { Mode = mode });
        }

        foreach (var (inside, host) in files)
        {
            await using var content = File.OpenRead(host);
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, inside) { Mode = File.GetUnixFileMode(host), DataStream = content });
        }

        var metadata = Encoding.UTF8.GetBytes($"Metadata-Version: 2.1\nName: {InsidePackage}\nVersion: {InsideVersion}\n\n");
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, $"usr/lib/python3/dist-packages/{InsidePackage.Replace('-', '_')}-{InsideVersion}.dist-info/") { Mode = (UnixFileMode)0b111_101_101 });
        await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, $"usr/lib/python3/dist-packages/{InsidePackage.Replace('-', '_')}-{InsideVersion}.dist-info/METADATA")
        {
            Mode = (UnixFileMode)0b110_100_100,
            DataStream = new MemoryStream(metadata),
        });
    }

    [GeneratedRegex(@"(?<=\s|^)/[^\s:]+(?=\s+\(0x)")]
    private static partial Regex LibraryPath();
}
