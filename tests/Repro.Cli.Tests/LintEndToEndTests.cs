using System.Text.Json;

namespace Repro.Cli.Tests;

public sealed class LintEndToEndTests
{
    private const string Python = "/usr/bin/python3";

    private const string Leaky = """
        import numpy as np
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        from sklearn.ensemble import RandomForestClassifier

        df = pd.read_csv("data.csv")
        X = StandardScaler().fit_transform(df.drop(columns=["y"]))
        X_train, X_test, y_train, y_test = train_test_split(X, df["y"], random_state=0)
        model = RandomForestClassifier().fit(X_train, y_train)
        print(model.score(X_test, y_test))
        """;

    private const string Clean = """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.ensemble import RandomForestClassifier

        df = pd.read_csv("data.csv")
        X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["y"]), df["y"], random_state=0)
        model = make_pipeline(StandardScaler(), RandomForestClassifier(random_state=0)).fit(X_train, y_train)
        print(model.score(X_test, y_test))
        """;

    [Fact]
    public async Task Lint_prints_gcc_lines_and_exits_1_on_findings()
    {
        using var dir = new Workdir();
        dir.Write("train.py", Leaky);
        var result = await dir.ReproAsync("lint", "train.py", "--python", Python);
        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("train.py:8:5: LEAK001 StandardScaler learns statistics", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("train.py:10:9: DET006 RandomForestClassifier(...)", lines[1], StringComparison.Ordinal);
        Assert.Contains("lint: 2 findings (2 warnings) in 1 file", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_exits_0_on_clean_code()
    {
        using var dir = new Workdir();
        dir.Write("train.py", Clean);
        var result = await dir.ReproAsync("lint", "train.py", "--python", Python);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("no findings in 1 file", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_without_an_interpreter_exits_3_with_the_reason()
    {
        using var dir = new Workdir();
        dir.Write("train.py", Clean);
        var result = await dir.ReproAsync("lint", "train.py", "--python", "/nonexistent/python3");
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("no Python interpreter at /nonexistent/python3", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_with_no_python3_on_path_exits_3()
    {
        using var dir = new Workdir();
        dir.Write("train.py", Clean);
        var result = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["PATH"] = dir.Combine("empty-bin") }, null, "lint", "train.py");
        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("python3 is not on PATH", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_json_lists_files_and_findings()
    {
        using var dir = new Workdir();
        dir.Write("train.py", Leaky);
        var result = await dir.ReproAsync("lint", "train.py", "--json", "--python", Python);
        Assert.True(result.ExitCode == 1, result.ToString());
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal("train.py", json.GetProperty("files")[0].GetString());
        var first = json.GetProperty("findings")[0];
        Assert.Equal("LEAK001", first.GetProperty("rule_id").GetString());
        Assert.Equal("warning", first.GetProperty("severity").GetString());
        Assert.Equal(8, first.GetProperty("line").GetInt32());
        Assert.Equal("L1.2", first.GetProperty("taxonomy").GetString());
    }

    [Fact]
    public async Task Lint_writes_sarif_with_the_rules_and_results()
    {
        using var dir = new Workdir();
        dir.Write("train.py", Leaky);
        var result = await dir.ReproAsync("lint", "train.py", "--sarif", "lint.sarif", "--python", Python);
        Assert.True(result.ExitCode == 1, result.ToString());
        var sarif = JsonDocument.Parse(File.ReadAllText(dir.Combine("lint.sarif"))).RootElement;
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
        var run = sarif.GetProperty("runs")[0];
        Assert.Contains(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray(), r => r.GetProperty("id").GetString() == "DET011");
        Assert.Equal(2, run.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Lint_reads_ignore_from_repro_yaml_and_select_from_flags()
    {
        using var dir = new Workdir();
        dir.Write("train.py", Leaky);
        dir.Write("repro.yaml", "lint:\n  ignore: [LEAK]\n");
        var ignored = await dir.ReproAsync("lint", "train.py", "--python", Python);
        Assert.True(ignored.ExitCode == 1, ignored.ToString());
        Assert.DoesNotContain("LEAK001", ignored.Stdout, StringComparison.Ordinal);
        Assert.Contains("DET006", ignored.Stdout, StringComparison.Ordinal);

        var selected = await dir.ReproAsync("lint", "train.py", "--select", "LEAK001", "--ignore", "DET", "--python", Python);
        Assert.True(selected.ExitCode == 1, selected.ToString());
        Assert.Contains("LEAK001", selected.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("DET006", selected.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_rejects_an_unknown_rule_and_a_missing_file_with_exit_2()
    {
        using var dir = new Workdir();
        dir.Write("train.py", Clean);
        var unknown = await dir.ReproAsync("lint", "train.py", "--select", "DET042", "--python", Python);
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("unknown rule 'DET042'", unknown.Stderr, StringComparison.Ordinal);
        var missing = await dir.ReproAsync("lint", "nope.py", "--python", Python);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("no such file or folder: nope.py", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_reports_a_syntax_error_and_exits_1()
    {
        using var dir = new Workdir();
        dir.Write("broken.py", "def f(:\n    pass\n");
        var result = await dir.ReproAsync("lint", "broken.py", "--python", Python);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("broken.py:1:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("SYNTAX SyntaxError", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_names_the_notebook_cell_of_a_leak_split_across_cells()
    {
        using var dir = new Workdir();
        var cells = new[]
        {
            "import pandas as pd\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.impute import SimpleImputer",
            "df = pd.read_csv('data.csv')\ndf[['age']] = SimpleImputer().fit_transform(df[['age']])",
            "train, test = train_test_split(df, random_state=0)",
        };
        var notebook = new
        {
            nbformat = 4,
            nbformat_minor = 5,
            metadata = new { },
            cells = cells.Select(c => new { cell_type = "code", metadata = new { }, source = c, outputs = Array.Empty<object>() }),
        };
        dir.Write("explore.ipynb", JsonSerializer.Serialize(notebook));
        var result = await dir.ReproAsync("lint", ".", "--python", Python);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("explore.ipynb[cell 2]:2:15: LEAK001 SimpleImputer", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("(train_test_split, cell 3 line 1)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_names_a_file_it_cannot_analyse_and_still_checks_every_other_file()
    {
        using var dir = new Workdir();
        // Nested 1,500 levels deep: past what repro analyses, so it is named, never a crash.
        dir.Write("generated.py", "total = " + string.Concat(Enumerable.Repeat("1 + ", 1500)) + "1\n");
        // A lone surrogate in a literal once aborted the whole lint (invalid UTF-16 in the parser's answer).
        dir.Write("strings.py", "marker = \"\\udc80\"\n");
        dir.Write("train.py", Leaky);

        var text = await dir.ReproAsync("lint", ".", "--python", Python);
        Assert.True(text.ExitCode == 1, text.ToString());
        var lines = text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("generated.py: INTERNAL not analysed: its syntax tree is nested more than 1000 levels deep", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("train.py:8:5: LEAK001 ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("strings.py", StringComparison.Ordinal));

        var json = await dir.ReproAsync("lint", ".", "--json", "--python", Python);
        Assert.True(json.ExitCode == 1, json.ToString());
        var findings = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("findings").EnumerateArray().ToList();
        var fault = Assert.Single(findings, f => f.GetProperty("rule_id").GetString() == "INTERNAL");
        Assert.Equal("generated.py", fault.GetProperty("path").GetString());
        Assert.Equal("warning", fault.GetProperty("severity").GetString());
        Assert.Contains(findings, f => f.GetProperty("rule_id").GetString() == "LEAK001" && f.GetProperty("path").GetString() == "train.py");
    }

    [Fact]
    public async Task Lint_finds_nothing_in_the_bundled_example_project()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Repro.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Repro.sln not found above the test binaries");
        }

        var result = await ReproProcess.RunAsync(root, "lint", "examples", "--python", Python);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
