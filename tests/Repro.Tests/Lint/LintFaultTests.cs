using Repro.Checks.Lint;
using Repro.Model.Findings;

namespace Repro.Tests.Lint;

public sealed class LintFaultTests
{
    [Fact]
    public async Task A_call_with_several_double_star_and_star_unpackings_is_analysed_like_any_other()
    {
        var findings = await LintHarness.LintAsync("""
            import matplotlib.pyplot as plt
            a = {"x": 1}
            b = {"y": 2}
            plt.plot([1], [2], **a, **b)
            plt.plot(*[1], *[2], **a, c=3, **b)
            """);
        Assert.DoesNotContain(findings, f => f.RuleId == LintRules.NotAnalysed.Id);
        Assert.DoesNotContain(findings, f => f.RuleId == LintRules.Syntax.Id);
    }

    [Fact]
    public async Task A_fault_in_one_files_analysis_is_a_warning_naming_it_and_the_other_files_are_still_checked()
    {
        using var dir = new TempDirectory();
        dir.Write("a.py", "import random\nx = random.random()\n");
        var units = await PythonAstReader.ParseAsync(LintHarness.Python, [new SourceUnit { Path = "a.py", Text = File.ReadAllText(dir.Combine("a.py")) }], CancellationToken.None);

        var broken = Linter.Check("a.py", units, LintHarness.Options, [new ThrowingCheck(), .. Linter.Checks]);
        var finding = Assert.Single(broken);
        Assert.Equal("INTERNAL", finding.RuleId);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("InvalidOperationException: boom", finding.Message, StringComparison.Ordinal);

        var fine = Linter.Check("a.py", units, LintHarness.Options);
        Assert.Contains(fine, f => f.RuleId == "DET001");
    }

    private sealed class ThrowingCheck : ILintCheck
    {
        public IReadOnlyList<RuleDescriptor> Rules => [];

        public void Check(LintContext context) => throw new InvalidOperationException("boom");
    }
}
