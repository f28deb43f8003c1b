using System.Text.Json;
using Repro.Checks.Lint;
using Repro.Model.Findings;

namespace Repro.Tests.Lint;

public sealed class LinterTests
{
    private const string Unseeded = """
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier()
        """;

    [Fact]
    public async Task Lint_findings_carry_path_line_column_and_severity()
    {
        var finding = Assert.Single(await LintHarness.LintAsync(Unseeded));
        Assert.Equal("DET006", finding.RuleId);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("train.py", finding.Path);
        Assert.Equal(2, finding.Line);
        Assert.Equal(9, finding.Column);
    }

    [Fact]
    public async Task Lint_gcc_line_is_path_line_column_rule_message()
    {
        var finding = Assert.Single(await LintHarness.LintAsync(Unseeded));
        Assert.Matches(@"^train\.py:2:9: DET006 RandomForestClassifier\(\.\.\.\) uses randomness", FindingText.Gcc(finding));
    }

    [Fact]
    public async Task Lint_ignore_comment_with_the_rule_silences_that_line()
    {
        Assert.Empty(await LintHarness.LintAsync(Unseeded + "  # repro: ignore[DET006]"));
        Assert.Empty(await LintHarness.LintAsync(Unseeded + "  # repro: ignore"));
        Assert.Empty(await LintHarness.LintAsync(Unseeded + "  # repro: ignore[DET001, det006]"));
    }

    [Fact]
    public async Task Lint_ignore_comment_for_another_rule_or_inside_a_string_does_not_silence()
    {
        Assert.Single(await LintHarness.LintAsync(Unseeded + "  # repro: ignore[DET001]"));
        Assert.Single(await LintHarness.LintAsync(Unseeded + "; note = '# repro: ignore'"));
    }

    [Fact]
    public async Task Lint_select_and_ignore_take_ids_and_prefixes()
    {
        var source = Unseeded + "\nimport random\nrandom.shuffle([1, 2])\n";
        Assert.Equal(["DET006", "DET001"], (await LintHarness.LintAsync(source)).Select(f => f.RuleId));
        Assert.Equal(["DET001"], (await LintHarness.LintAsync(source, options: LintHarness.Options with { Select = ["DET001"] })).Select(f => f.RuleId));
        Assert.Equal(["DET006"], (await LintHarness.LintAsync(source, options: LintHarness.Options with { Ignore = ["DET001"] })).Select(f => f.RuleId));
        Assert.Empty(await LintHarness.LintAsync(source, options: LintHarness.Options with { Select = ["LEAK"] }));
    }

    [Fact]
    public void Lint_settings_read_the_lint_section_of_repro_yaml_and_flags_replace_it()
    {
        using var dir = new TempDirectory();
        dir.Write("repro.yaml", "lint:\n  select: [DET, LEAK001]\n  ignore: DET008\n  python: /usr/bin/python3\n");
        var fromFile = LintSettings.Build(dir.Path, [], [], null);
        Assert.Equal(["DET", "LEAK001"], fromFile.Select);
        Assert.Equal(["DET008"], fromFile.Ignore);
        Assert.Equal("/usr/bin/python3", fromFile.Python);
        Assert.Equal("defaults < repro.yaml", fromFile.Source);
        Assert.False(fromFile.Enabled("DET008"));
        Assert.False(fromFile.Enabled("LEAK002"));
        Assert.True(fromFile.Enabled("DET006"));

        var flags = LintSettings.Build(dir.Path, ["LEAK002,LEAK003"], [], "python3");
        Assert.Equal(["LEAK002", "LEAK003"], flags.Select);
        Assert.Equal("python3", flags.Python);
    }

    [Fact]
    public void Lint_settings_reject_an_unknown_rule_or_key()
    {
        using var dir = new TempDirectory();
        Assert.Contains("unknown rule 'DET999'", Assert.Throws<ReproException>(() => LintSettings.Build(dir.Path, ["DET999"], [], null)).Message, StringComparison.Ordinal);
        dir.Write("repro.yaml", "lint:\n  severity: error\n");
        Assert.Contains("unknown setting lint.severity", Assert.Throws<ReproException>(() => LintSettings.Build(dir.Path, [], [], null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_reports_a_syntax_error_as_a_finding_with_its_line()
    {
        var finding = Assert.Single(await LintHarness.LintAsync("import os\ndef broken(:\n    pass\n"));
        Assert.Equal("SYNTAX", finding.RuleId);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(2, finding.Line);
    }

    [Fact]
    public async Task Lint_without_an_interpreter_cannot_execute()
    {
        var error = await Assert.ThrowsAsync<ReproException>(() => LintHarness.LintAsync(Unseeded, options: new LintOptions { Python = "/nonexistent/python3" }));
        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Contains("no Python interpreter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_notebook_follows_a_leak_across_cells_and_names_the_cell()
    {
        var notebook = LintHarness.Notebook(
            "import pandas as pd\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split\n%matplotlib inline",
            "# markdown-like comment\ndf = pd.read_csv('data.csv')\nX = df.drop(columns=['y'])\ny = df['y']",
            "X = StandardScaler().fit_transform(X)",
            "!pip list\nX_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)");
        var finding = Assert.Single(await LintHarness.LintAsync(notebook, "analysis.ipynb"));
        Assert.Equal("LEAK001", finding.RuleId);
        Assert.Equal(3, finding.Cell);
        Assert.Equal(1, finding.Line);
        Assert.Contains("cell 4 line 2", finding.Message, StringComparison.Ordinal);
        Assert.StartsWith("analysis.ipynb[cell 3]:1:5: LEAK001 ", FindingText.Gcc(finding), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_notebook_is_silent_when_the_scaler_is_fitted_after_the_split_in_a_later_cell()
    {
        var notebook = LintHarness.Notebook(
            "import pandas as pd\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.model_selection import train_test_split",
            "df = pd.read_csv('data.csv')\nX_train, X_test = train_test_split(df, random_state=0)",
            "scaler = StandardScaler().fit(X_train)\nX_train = scaler.transform(X_train)\nX_test = scaler.transform(X_test)");
        Assert.Empty(await LintHarness.LintAsync(notebook, "analysis.ipynb"));
    }

    [Fact]
    public async Task Lint_sarif_is_version_2_1_0_with_rules_and_regions()
    {
        var findings = await LintHarness.LintAsync(Unseeded);
        var sarif = JsonDocument.Parse(SarifWriter.Render("1.0.0", LintRules.All, findings)).RootElement;
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
        var run = sarif.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(LintRules.All.Select(r => r.Id), rules);
        var result = Assert.Single(run.GetProperty("results").EnumerateArray());
        Assert.Equal("DET006", result.GetProperty("ruleId").GetString());
        Assert.Equal(rules.IndexOf("DET006"), result.GetProperty("ruleIndex").GetInt32());
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("train.py", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal(2, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(9, location.GetProperty("region").GetProperty("startColumn").GetInt32());
    }

    [Fact]
    public void Lint_rules_each_have_a_summary_and_a_rationale_with_a_source()
    {
        foreach (var rule in LintRules.All.Where(r => r.Id is not ("SYNTAX" or "INTERNAL")))
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Summary), rule.Id);
            Assert.Contains("Source:", rule.Rationale, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Lint_folder_finds_scripts_and_notebooks_and_skips_hidden_folders()
    {
        using var dir = new TempDirectory();
        dir.Write("src/train.py", Unseeded);
        dir.Write("src/clean.py", "print('ok')\n");
        dir.Write(".venv/lib/bad.py", Unseeded);
        dir.Write("nb/explore.ipynb", LintHarness.Notebook("print(1)"));
        var report = await Linter.LintAsync(["."], dir.Path, LintHarness.Options, Environment.GetEnvironmentVariable("PATH"), CancellationToken.None);
        Assert.Equal(["nb/explore.ipynb", "src/clean.py", "src/train.py"], report.Files);
        Assert.Equal("src/train.py", Assert.Single(report.Findings).Path);
    }
}
