using System.Text.Json;
using System.Text.RegularExpressions;
using Repro.Model;

namespace Repro.Capture;

/// <summary>
/// The Python interpreter a command uses and every distribution it can import. Costs one
/// interpreter start (asks for sys.path), then reads <c>*.dist-info</c>/<c>*.egg-info</c>
/// metadata headers from those folders; pip is never run.
/// </summary>
public static partial class PythonProbe
{
    private const string Script = "import sys, json, platform; print(json.dumps({'executable': sys.executable, 'version': platform.python_version(), 'implementation': platform.python_implementation(), 'path': sys.path}))";

    // The same facts plus the distributions, read by the interpreter itself with the rules of
    // ScanDistributions: for an interpreter whose files repro cannot read (inside a container).
    private const string ScanningScript = """
        import sys, os, json, platform, re
        def header(path):
            name = version = None
            try:
                with open(path, encoding='utf-8', errors='replace') as f:
                    for line in f:
                        line = line.rstrip('\r\n')
                        if not line:
                            break
                        lower = line.lower()
                        if lower.startswith('name:'):
                            name = line[5:].strip()
                        elif lower.startswith('version:'):
                            version = line[8:].strip()
                        if name is not None and version is not None:
                            break
            except OSError:
                pass
            return name, version
        packages = {}
        for directory in sys.path:
            directory = directory or os.getcwd()
            try:
                entries = os.listdir(directory)
            except OSError:
                continue
            for entry in entries:
                full = os.path.join(directory, entry)
                if entry.endswith('.dist-info'):
                    metadata = os.path.join(full, 'METADATA')
                elif entry.endswith('.egg-info'):
                    metadata = os.path.join(full, 'PKG-INFO') if os.path.isdir(full) else full
                else:
                    continue
                name, version = header(metadata)
                if name is None or version is None:
                    continue
                packages.setdefault(re.sub(r'[-_.]+', '-', name).lower(), version)
        print(json.dumps({'executable': sys.executable, 'version': platform.python_version(), 'implementation': platform.python_implementation(), 'path': sys.path, 'packages': packages}))
        """;

    /// <summary>Whether an executable name looks like a Python interpreter (python, python3, python3.11).</summary>
    public static bool IsPythonName(string executable) => PythonName().IsMatch(Path.GetFileName(executable));

    public static async Task<(PythonInfo? Info, string? Error)> ProbeAsync(string interpreter, string workingDirectory, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var result = await ProcessCapture.RunAsync(interpreter, ["-c", Script], workingDirectory, environment, cancellationToken, TimeSpan.FromSeconds(20));
        if (result is null)
        {
            return (null, $"cannot start {interpreter}");
        }

        if (result.ExitCode != 0)
        {
            return (null, $"{interpreter} exited with {result.ExitCode}: {result.Stderr.Trim()}");
        }

        return Parse(interpreter, result.Stdout, sysPath => ScanDistributions(sysPath.Select(p => p.Length == 0 ? workingDirectory : p)));
    }

    /// <summary>
    /// Probes an interpreter that runs elsewhere (a container): <paramref name="run"/> starts
    /// <c>interpreter ARGS</c> there, and the interpreter lists its own distributions, since
    /// the paths it reports are not this machine's. Costs one start of that environment.
    /// </summary>
    public static async Task<(PythonInfo? Info, string? Error)> ProbeThroughAsync(string interpreter, Func<IReadOnlyList<string>, CancellationToken, Task<ProcessCapture.Result?>> run, CancellationToken cancellationToken)
    {
        var result = await run([interpreter, "-c", ScanningScript], cancellationToken);
        if (result is null)
        {
            return (null, $"cannot start {interpreter}");
        }

        if (result.ExitCode != 0)
        {
            return (null, $"{interpreter} exited with {result.ExitCode}: {result.Stderr.Trim()}");
        }

        return Parse(interpreter, result.Stdout, _ => null);
    }

    private static (PythonInfo? Info, string? Error) Parse(string interpreter, byte[] answer, Func<List<string>, SortedDictionary<string, string>?> scan)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            var sysPath = root.GetProperty("path").EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
            var packages = scan(sysPath) ?? new SortedDictionary<string, string>(
                root.GetProperty("packages").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty),
                StringComparer.Ordinal);
            return (new PythonInfo
            {
                Executable = root.GetProperty("executable").GetString() ?? interpreter,
                Version = root.GetProperty("version").GetString(),
                Implementation = root.GetProperty("implementation").GetString(),
                SysPath = sysPath,
                Packages = packages,
            }, null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, $"unexpected answer from {interpreter}: {ex.Message}");
        }
    }

    /// <summary>Reads Name/Version of every distribution on the given path; the first found wins, as for import.</summary>
    public static SortedDictionary<string, string> ScanDistributions(IEnumerable<string> directories)
    {
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            IEnumerable<string> entries;
            try
            {
                entries = Directory.EnumerateFileSystemEntries(directory, "*-info");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                var metadata = entry.EndsWith(".dist-info", StringComparison.Ordinal) ? Path.Combine(entry, "METADATA")
                    : entry.EndsWith(".egg-info", StringComparison.Ordinal) ? (Directory.Exists(entry) ? Path.Combine(entry, "PKG-INFO") : entry)
                    : null;
                if (metadata is null)
                {
                    continue;
                }

                var (name, version) = ReadHeader(metadata);
                if (name is null || version is null)
                {
                    continue;
                }

                packages.TryAdd(Normalize(name), version);
            }
        }

        return packages;
    }

    /// <summary>PEP 503 normalisation: runs of '-', '_' and '.' become one '-', lower case.</summary>
    public static string Normalize(string name) => Separators().Replace(name, "-").ToLowerInvariant();

    private static (string? Name, string? Version) ReadHeader(string path)
    {
        string? name = null;
        string? version = null;
        try
        {
            using var reader = new StreamReader(path);
            for (var line = reader.ReadLine(); line is not null && line.Length > 0; line = reader.ReadLine())
            {
                if (line.StartsWith("Name:", StringComparison.OrdinalIgnoreCase))
                {
                    name = line[5..].Trim();
                }
                else if (line.StartsWith("Version:", StringComparison.OrdinalIgnoreCase))
                {
                    version = line[8..].Trim();
                }

                if (name is not null && version is not null)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return (name, version);
    }

    [GeneratedRegex(@"^python(\d+(\.\d+)?)?$")]
    private static partial Regex PythonName();

    [GeneratedRegex(@"[-_.]+")]
    private static partial Regex Separators();
}
