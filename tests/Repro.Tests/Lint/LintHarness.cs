using System.Text.Json;
using Repro.Checks.Lint;
using Repro.Model.Findings;

namespace Repro.Tests.Lint;

/// <summary>Lints Python source written to a temp folder, parsed by a real interpreter.</summary>
internal static class LintHarness
{
    /// <summary>Debian's python3 when present (scripts/test installs it), else python3 on PATH: only ast is needed.</summary>
    public static string Python { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static LintOptions Options { get; } = new() { Python = Python };

    /// <summary>
    /// The newest CPython 3.12+ on this machine (the image's pyenv keeps 3.12 and 3.13), for the
    /// syntax Debian's 3.11 does not parse yet (PEP 695 type parameters, PEP 701 f-strings); null when none.
    /// </summary>
    public static (string Path, int Minor)? ModernPython { get; } = FindModernPython();

    /// <summary>Lints a file written byte for byte (an encoding cookie, a BOM) with <paramref name="python"/>.</summary>
    public static async Task<IReadOnlyList<Finding>> LintBytesAsync(byte[] source, string python, string fileName = "train.py")
    {
        using var dir = new TempDirectory();
        await File.WriteAllBytesAsync(dir.Combine(fileName), source);
        var report = await Linter.LintAsync([fileName], dir.Path, new LintOptions { Python = python }, Environment.GetEnvironmentVariable("PATH"), CancellationToken.None);
        return report.Findings;
    }

    public static async Task<IReadOnlyList<Finding>> LintAsync(string source, string fileName = "train.py", LintOptions? options = null)
    {
        using var dir = new TempDirectory();
        dir.Write(fileName, source);
        var report = await Linter.LintAsync([fileName], dir.Path, options ?? Options, Environment.GetEnvironmentVariable("PATH"), CancellationToken.None);
        return report.Findings;
    }

    private static (string Path, int Minor)? FindModernPython()
    {
        var root = Environment.GetEnvironmentVariable("PYENV_ROOT") ?? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
        var versions = System.IO.Path.Combine(root, "versions");
        if (!Directory.Exists(versions))
        {
            return null;
        }

        return Directory.EnumerateDirectories(versions)
            .Select(d => (Path: System.IO.Path.Combine(d, "bin", "python3"), Version: Version.TryParse(System.IO.Path.GetFileName(d), out var v) ? v : null))
            .Where(p => p.Version is { Major: 3, Minor: >= 12 } && File.Exists(p.Path))
            .OrderByDescending(p => p.Version)
            .Select(p => ((string Path, int Minor)?)(p.Path, p.Version!.Minor))
            .FirstOrDefault();
    }

    /// <summary>The ids of the findings of <paramref name="rule"/>'s family, e.g. only the DET006 ones.</summary>
    public static async Task<IReadOnlyList<Finding>> FindingsAsync(string rule, string source) =>
        (await LintAsync(source)).Where(f => f.RuleId == rule).ToList();

    public static async Task TriggersAsync(string rule, string source, int line)
    {
        var all = await LintAsync(source);
        Assert.True(all.Any(f => f.RuleId == rule && f.Line == line), $"expected {rule} at line {line}, got:\n{string.Join('\n', all.Select(FindingText.Gcc))}");
    }

    public static async Task SilentAsync(string rule, string source)
    {
        var all = await LintAsync(source);
        Assert.False(all.Any(f => f.RuleId == rule), $"expected no {rule}, got:\n{string.Join('\n', all.Select(FindingText.Gcc))}");
    }

    // Notebooks store a cell's source as lines, each but the last ending in "\n".
    private static List<string> Lines(string cell)
    {
        var lines = cell.Split('\n');
        return lines.Select((line, i) => i < lines.Length - 1 ? line + "\n" : line).ToList();
    }

    /// <summary>A notebook (nbformat 4): a markdown title, then one code cell per string.</summary>
    public static string Notebook(params string[] cells)
    {
        var list = cells.Select(c => new Dictionary<string, object>
        {
            ["cell_type"] = "code",
            ["metadata"] = new Dictionary<string, object>(),
            ["source"] = Lines(c),
            ["outputs"] = Array.Empty<object>(),
        }).Prepend(new Dictionary<string, object> { ["cell_type"] = "markdown", ["metadata"] = new Dictionary<string, object>(), ["source"] = "# Title" });
        return JsonSerializer.Serialize(new Dictionary<string, object> { ["nbformat"] = 4, ["nbformat_minor"] = 5, ["metadata"] = new Dictionary<string, object>(), ["cells"] = list });
    }
}
