using System.Text.Json;
using System.Text.RegularExpressions;
using Repro.Domain;

namespace Repro.Capture;

/// <summary>
/// The Python interpreter a command uses and every distribution it can import. Costs one
/// interpreter start (asks for sys.path), then reads <c>*.dist-info</c>/<c>*.egg-info</c>
/// metadata headers from those folders; pip is never run.
/// </summary>
public static partial class PythonProbe
{
    private const string Script = "import sys, json, platform; print(json.dumps({'executable': sys.executable, 'version': platform.python_version(), 'implementation': platform.python_implementation(), 'path': sys.path}))";

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

        try
        {
            using var document = JsonDocument.Parse(result.Stdout);
            var root = document.RootElement;
            var sysPath = root.GetProperty("path").EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList();
            return (new PythonInfo
            {
                Executable = root.GetProperty("executable").GetString() ?? interpreter,
                Version = root.GetProperty("version").GetString(),
                Implementation = root.GetProperty("implementation").GetString(),
                SysPath = sysPath,
                Packages = ScanDistributions(sysPath.Select(p => p.Length == 0 ? workingDirectory : p)),
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
