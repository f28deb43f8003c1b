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

    private const string Prelude = """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        df = pd.read_csv("data.csv")
        X = df.drop(columns=["y"])
        y = df["y"]
        """;

    [Fact]
    public async Task A_notebook_cell_with_a_syntax_error_or_past_a_limit_is_named_with_its_cell_and_the_other_cells_are_analysed()
    {
        var notebook = LintHarness.Notebook(
            Prelude,
            "x = (",
            "total = " + string.Concat(Enumerable.Repeat("1 + ", 1500)) + "1",
            "%matplotlib inline\nX = StandardScaler().fit_transform(X)",
            "X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)");
        var findings = await LintHarness.LintAsync(notebook, "explore.ipynb");
        var text = string.Join('\n', findings.Select(FindingText.Gcc));
        Assert.True(findings.Count == 3, text);
        Assert.Equal(("SYNTAX", 2), (findings[0].RuleId, findings[0].Cell!.Value));
        Assert.Equal(("INTERNAL", 3), (findings[1].RuleId, findings[1].Cell!.Value));
        Assert.Equal(Severity.Warning, findings[1].Severity);
        Assert.StartsWith("explore.ipynb[cell 3]: INTERNAL not analysed: its syntax tree is nested more than 1000 levels deep", FindingText.Gcc(findings[1]), StringComparison.Ordinal);
        Assert.Equal(("LEAK001", 4, 2), (findings[2].RuleId, findings[2].Cell!.Value, findings[2].Line!.Value));
    }

    [Fact]
    public async Task A_notebook_cell_whose_analysis_faults_is_named_and_skipped_and_the_other_cells_are_still_one_program()
    {
        var units = await PythonAstReader.ParseAsync(
            LintHarness.Python,
            NotebookReader.Read("explore.ipynb", LintHarness.Notebook(Prelude, "explode = 1", "X = StandardScaler().fit_transform(X)", "X_train, X_test, y_train, y_test = train_test_split(X, y)")),
            CancellationToken.None);

        var findings = Linter.Check("explore.ipynb", units, LintHarness.Options, [new FaultOnName("explode"), .. Linter.Checks]);
        var text = string.Join('\n', findings.Select(FindingText.Gcc));
        var fault = Assert.Single(findings, f => f.RuleId == "INTERNAL");
        Assert.Equal(2, fault.Cell);
        Assert.Contains("InvalidOperationException: explode", fault.Message, StringComparison.Ordinal);
        Assert.Contains("the other cells were checked without it", fault.Message, StringComparison.Ordinal);
        // The scaler of cell 3 still meets the split of cell 4.
        Assert.True(findings.Any(f => f.RuleId == "LEAK001" && f.Cell == 3), text);
    }

    [Fact]
    public async Task A_notebook_cut_short_is_one_syntax_finding_and_the_other_files_are_still_checked()
    {
        using var dir = new TempDirectory();
        var notebook = LintHarness.Notebook(Prelude, "X = StandardScaler().fit_transform(X)");
        dir.Write("broken.ipynb", notebook[..(notebook.Length / 2)]);
        dir.Write("train.py", Prelude + "\nX = StandardScaler().fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)\n");
        var report = await Linter.LintAsync(["."], dir.Path, LintHarness.Options, Environment.GetEnvironmentVariable("PATH"), CancellationToken.None);
        var broken = Assert.Single(report.Findings, f => f.Path == "broken.ipynb");
        Assert.Equal("SYNTAX", broken.RuleId);
        Assert.StartsWith("not a notebook (invalid JSON", broken.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Path == "train.py" && f.RuleId == "LEAK001");
    }

    [Fact]
    public async Task A_file_cell_magic_and_a_line_magic_over_two_lines_are_skipped_without_a_syntax_error()
    {
        var notebook = LintHarness.Notebook(
            "%%file helper.py\ndef f(n):\n    total = 0\n    return total",
            "import numpy as np\n%timeit np.fromiter((v for v in range(3)),\n                    dtype=float, count=3)\n%time x = 1 + \\\n    2\nprint(np.zeros(2))");
        var findings = await LintHarness.LintAsync(notebook, "explore.ipynb");
        Assert.True(findings.Count == 0, string.Join('\n', findings.Select(FindingText.Gcc)));
    }

    [Fact]
    public async Task A_continuation_line_that_starts_with_percent_or_bang_is_python_not_a_magic()
    {
        var notebook = LintHarness.Notebook(
            "x = 3\nprint('a %d'\n      % (x))\nflag = (x >\n        2)\ny = 'it''s' + \\\n    '!'\ndoc = \"\"\"\n% not a magic\n\"\"\"\n%matplotlib inline\nprint(x\n      % 2, flag, y, doc)");
        var findings = await LintHarness.LintAsync(notebook, "explore.ipynb");
        Assert.True(findings.Count == 0, string.Join('\n', findings.Select(FindingText.Gcc)));
    }

    private sealed class ThrowingCheck : ILintCheck
    {
        public IReadOnlyList<RuleDescriptor> Rules => [];

        public void Check(LintContext context) => throw new InvalidOperationException("boom");
    }

    // Faults on any program that holds the name, as a bug triggered by one cell's code would.
    private sealed class FaultOnName(string name) : ILintCheck
    {
        public IReadOnlyList<RuleDescriptor> Rules => [];

        public void Check(LintContext context)
        {
            if (context.Nodes.Any(n => n.Is("Name") && n.Text("id") == name))
            {
                throw new InvalidOperationException(name);
            }
        }
    }
}
