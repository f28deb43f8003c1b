using Repro.Checks.Lint;
using Repro.Model.Findings;

namespace Repro.Tests.Lint;

/// <summary>Lints Python source written to a temp folder, parsed by a real interpreter.</summary>
internal static class LintHarness
{
    /// <summary>Debian's python3 when present (scripts/test installs it), else python3 on PATH: only ast is needed.</summary>
    public static string Python { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static LintOptions Options { get; } = new() { Python = Python };

    public static async Task<IReadOnlyList<Finding>> LintAsync(string source, string fileName = "train.py", LintOptions? options = null)
    {
        using var dir = new TempDirectory();
        dir.Write(fileName, source);
        var report = await Linter.LintAsync([fileName], dir.Path, options ?? Options, Environment.GetEnvironmentVariable("PATH"), CancellationToken.None);
        return report.Findings;
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
}
