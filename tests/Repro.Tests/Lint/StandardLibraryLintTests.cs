using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Checks.Lint;
using Xunit.Abstractions;

namespace Repro.Tests.Lint;

/// <summary>
/// The whole standard library of Debian's Python (with its test suite: well over a thousand real
/// files of every syntax the interpreter knows) goes through the in-process Linter with no fault.
/// </summary>
public sealed partial class StandardLibraryLintTests(ITestOutputHelper output)
{
    // Files the standard library ships invalid on purpose: test data for the parser and lib2to3
    // (Python 2 code, a misspelt or contradictory coding cookie, bytes that are not UTF-8). They
    // may be a syntax error, never a fault. Nothing is excluded from the run.
    [GeneratedRegex(@"^(lib2to3/tests/data/.*|test/bad_coding\d*\.py|test/badsyntax_.*\.py|test/tokenizedata/bad_coding\d*\.py|test/tokenizedata/badsyntax_.*\.py)$")]
    private static partial Regex DeliberatelyInvalid();

    [Fact]
    public async Task Every_file_of_the_standard_library_is_linted_without_a_fault()
    {
        var stdlib = StandardLibrary();
        // site-packages/dist-packages hold installed distributions, not the standard library.
        var files = Directory.EnumerateFiles(stdlib, "*.py", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(stdlib, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "site-packages" or "dist-packages"))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 1000, $"{files.Count} files under {stdlib}: install Debian's libpython3.X-testsuite (scripts/setup does) for the standard library's own tests");
        var lines = files.Sum(f => File.ReadAllBytes(Path.Combine(stdlib, f)).Count(b => b == (byte)'\n'));

        var started = Stopwatch.GetTimestamp();
        var report = await Linter.LintAsync(files, stdlib, LintHarness.Options, Environment.GetEnvironmentVariable("PATH"), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"linted {files.Count} files, {lines} lines of {stdlib} in {elapsed.TotalSeconds:F1} s ({report.Findings.Count} findings)"));

        Assert.Equal(files.Count, report.Files.Count);
        var faults = report.Findings.Where(f => f.RuleId == LintRules.NotAnalysed.Id).Select(f => $"{f.Path}: {f.Message}").ToList();
        Assert.True(faults.Count == 0, "not analysed:\n" + string.Join('\n', faults));
        var unexpected = report.Findings.Where(f => f.RuleId == LintRules.Syntax.Id && !DeliberatelyInvalid().IsMatch(f.Path ?? string.Empty))
            .Select(f => $"{f.Path}:{f.Line}: {f.Message}").ToList();
        Assert.True(unexpected.Count == 0, "syntax errors in files that are meant to parse:\n" + string.Join('\n', unexpected));
        foreach (var invalid in report.Findings.Where(f => f.RuleId == LintRules.Syntax.Id))
        {
            output.WriteLine($"deliberately invalid: {invalid.Path}:{invalid.Line}: {invalid.Message}");
        }
    }

    private static string StandardLibrary()
    {
        var info = new ProcessStartInfo(LintHarness.Python) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.True(Directory.Exists(path), $"{LintHarness.Python} names no standard library folder ({path})");
        return path;
    }
}
