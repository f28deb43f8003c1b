using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>
/// <c>repro leak</c> on generated splits with known answers: 1,000 train and 200 test rows in
/// which exactly 17 test rows copy a train row (reformatted: <c>48.0</c> for <c>48</c>, extra
/// spaces), 3 repeat another test row, 4 patients are in both splits, 9 test rows are older
/// than the newest train row, <c>colwars</c> is a planted proxy of the label and <c>score</c>
/// is shifted — and the clean twin of the same data, which must pass.
/// </summary>
public sealed class LeakEndToEndTests
{
    private const string Python = "/usr/bin/python3";
    private const string Header = "id,patient,visit,age,income,city,score,colwars,label";
    private static readonly string[] Cities = ["north", "south", "east", "west"];

    private sealed record Row(int Id, string Patient, DateTime Visit, int Age, double Income, string City, double Score, double Colwars, int Label)
    {
        public string Csv(bool reformat = false) => reformat
            ? string.Create(CultureInfo.InvariantCulture, $"{Id},{Patient},{Visit:yyyy-MM-ddTHH:mm:ss},{Age}.0,  {Income:0.0000} ,\"  {City}  \",{Score:0.000000}0,{Colwars:0.00000},{Label}")
            : string.Create(CultureInfo.InvariantCulture, $"{Id},{Patient},{Visit:yyyy-MM-ddTHH:mm:ss},{Age},{Income:0.###},{City},{Score:0.######},{Colwars:0.####},{Label}");
    }

    private static (string Train, string Test) Generate(bool leaky)
    {
        var random = new Random(2023);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Row Fresh(int id, string patient, DateTime visit, bool shifted)
        {
            var label = random.NextDouble() < 0.4 ? 1 : 0;
            var noise = random.NextDouble();
            return new Row(
                id,
                patient,
                visit,
                random.Next(20, 80),
                Math.Round(30 + (random.NextDouble() * 40) + (random.NextDouble() * 40), 3),
                Cities[random.Next(Cities.Length)],
                Math.Round(random.NextDouble() + (shifted ? 0.6 : 0), 6),
                Math.Round(leaky ? (label * 2) + (noise * 0.8) : noise * 2, 4),
                label);
        }

        var train = Enumerable.Range(0, 1000).Select(i => Fresh(i, $"P{i % 400:0000}", start.AddHours(i), false)).ToList();
        var newest = start.AddHours(999);
        var test = new List<Row>();
        for (var i = 0; i < 200; i++)
        {
            var id = 5000 + i;
            var patient = leaky && i < 4 ? $"P{(i * 97) + 11:0000}" : $"Q{i:0000}";
            var visit = leaky && i >= 4 && i < 13 ? newest.AddDays(-(i + 1)) : newest.AddHours(i + 1);
            if (leaky && i >= 100 && i < 117)
            {
                // A copy of a train row with another id, patient and visit: the same example.
                var source = train[(i - 100) * 53];
                test.Add(source with { Id = id, Patient = patient, Visit = visit });
            }
            else if (leaky && i >= 190 && i < 193)
            {
                test.Add(test[20 + i - 190] with { Id = id, Visit = visit });
            }
            else
            {
                test.Add(Fresh(id, patient, visit, leaky && i >= 20));
            }
        }

        var trainCsv = new StringBuilder(Header + "\n");
        foreach (var row in train)
        {
            trainCsv.Append(row.Csv()).Append('\n');
        }

        var testCsv = new StringBuilder(Header + "\r\n");
        for (var i = 0; i < test.Count; i++)
        {
            testCsv.Append(test[i].Csv(reformat: i % 2 == 0)).Append("\r\n");
        }

        return (trainCsv.ToString(), testCsv.ToString());
    }

    private static Workdir Splits(bool leaky)
    {
        var dir = new Workdir();
        var (train, test) = Generate(leaky);
        dir.Write("train.csv", train);
        dir.Write("test.csv", test);
        return dir;
    }

    private static readonly string[] Roles = ["--train", "train.csv", "--test", "test.csv", "--target", "label", "--id", "id", "--group", "patient", "--time", "visit"];

    private static async Task<(ReproProcess.Result Raw, JsonElement Report)> LeakJsonAsync(Workdir dir, params string[] extra)
    {
        var result = await dir.ReproAsync(["leak", .. Roles, .. extra, "--json"]);
        Assert.True(result.Stdout.TrimStart().StartsWith('{'), result.ToString());
        return (result, JsonDocument.Parse(result.Stdout).RootElement.Clone());
    }

    private static JsonElement[] Findings(JsonElement report, string rule) =>
        [.. report.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("rule_id").GetString() == rule)];

    private static double Figure(JsonElement finding, string key) => finding.GetProperty("figures").GetProperty(key).GetDouble();

    [Fact]
    public async Task Leak_finds_the_planted_duplicates_groups_time_proxy_and_shift_with_their_counts()
    {
        using var dir = Splits(leaky: true);
        var (raw, report) = await LeakJsonAsync(dir);
        Assert.True(raw.ExitCode == 1, raw.ToString());
        Assert.Equal(1, report.GetProperty("exit_code").GetInt32());

        var duplicates = Findings(report, "L1.4");
        var across = Assert.Single(duplicates, f => f.GetProperty("severity").GetString() != "note");
        Assert.Equal(17, Figure(across, "count"));
        Assert.Equal(0.085, Figure(across, "share"), 12);
        Assert.Equal("error", across.GetProperty("severity").GetString());
        Assert.Equal(5, across.GetProperty("examples").GetArrayLength());
        var within = Assert.Single(duplicates, f => f.GetProperty("severity").GetString() == "note");
        Assert.Equal(3, Figure(within, "count"));

        var groups = Assert.Single(Findings(report, "L3.2"));
        Assert.Equal(4, Figure(groups, "groups_shared"));
        Assert.Equal(4, Figure(groups, "test_rows"));
        Assert.Contains("'P0011'", groups.GetProperty("examples")[0].GetString(), StringComparison.Ordinal);

        var time = Assert.Single(Findings(report, "L3.1"));
        Assert.Equal(9, Figure(time, "count"));
        Assert.Equal(6, time.GetProperty("line").GetInt32());

        var proxy = Assert.Single(Findings(report, "L2"));
        Assert.Contains("'colwars'", proxy.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1.0, Figure(proxy, "auc"));

        var shift = Assert.Single(Findings(report, "L3.3"));
        Assert.Contains("'score'", shift.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(Figure(shift, "ks") > 0.4);

        var summary = report.GetProperty("summary");
        Assert.Equal(1000, summary.GetProperty("train").GetProperty("rows").GetInt64());
        Assert.Equal(200, summary.GetProperty("test").GetProperty("rows").GetInt64());
        Assert.Equal(["age", "income", "city", "score", "colwars"], summary.GetProperty("compared_columns").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Leak_the_clean_twin_exits_0()
    {
        using var dir = Splits(leaky: false);
        var result = await dir.ReproAsync(["leak", .. Roles]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no leakage found", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("L1.4", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stderr);
    }

    [Fact]
    public async Task Leak_readable_output_has_one_block_per_finding_with_code_counts_and_examples()
    {
        using var dir = Splits(leaky: true);
        var result = await dir.ReproAsync(["leak", .. Roles]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("L1.4 error: 17 of 200 test rows (8.5%) also occur in train", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("L3.2 error: 4 of 197 'patient' values in test also occur in train (4 test rows, 2%)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("L3.1 error: 9 of 200 test rows (4.5%) are older than the newest train row", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("L2 warning: feature 'colwars' alone gives ROC AUC 1 for 'label' on train", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("    test line 102 = train line 2: ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("L3.3 warning: feature 'score'", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leak_figures_agree_with_scipy_and_sklearn_on_the_same_files()
    {
        Assert.True(File.Exists(Python), "Debian's python3 with scikit-learn is needed (scripts/test installs it)");
        using var dir = Splits(leaky: true);
        var (_, report) = await LeakJsonAsync(dir);
        var script = """
            import json, pandas as pd
            from scipy.stats import ks_2samp
            from sklearn.metrics import roc_auc_score, normalized_mutual_info_score
            tr = pd.read_csv("train.csv"); te = pd.read_csv("test.csv", skipinitialspace=True)
            te["city"] = te["city"].str.strip()
            p = tr.city.value_counts(normalize=True); q = te.city.value_counts(normalize=True)
            print(json.dumps({"ks_score": ks_2samp(tr.score, te.score).statistic, "ks_age": ks_2samp(tr.age, te.age).statistic,
                              "auc_income": roc_auc_score(tr.label, tr.income), "tv_city": float(p.sub(q, fill_value=0).abs().sum() / 2),
                              "nmi_city": normalized_mutual_info_score(tr.label, tr.city)}))
            """;
        dir.Write("check.py", script);
        var info = new ProcessStartInfo(Python, "check.py") { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        var expected = JsonDocument.Parse(output).RootElement;

        var summary = report.GetProperty("summary");
        double Measure(string list, string column) => summary.GetProperty(list).EnumerateArray().Single(m => m.GetProperty("column").GetString() == column).GetProperty("value").GetDouble();
        Assert.Equal(expected.GetProperty("ks_score").GetDouble(), Measure("shift", "score"), 12);
        Assert.Equal(expected.GetProperty("ks_age").GetDouble(), Measure("shift", "age"), 12);
        Assert.Equal(expected.GetProperty("tv_city").GetDouble(), Measure("shift", "city"), 12);
        var auc = expected.GetProperty("auc_income").GetDouble();
        Assert.Equal(Math.Max(auc, 1 - auc), Measure("proxies", "income"), 12);
        Assert.Equal(expected.GetProperty("nmi_city").GetDouble(), Measure("proxies", "city"), 12);
    }

    [Fact]
    public async Task Leak_sarif_has_a_rule_per_check_and_a_result_per_finding()
    {
        using var dir = Splits(leaky: true);
        var (_, report) = await LeakJsonAsync(dir, "--sarif", "leak.sarif");
        var sarif = JsonDocument.Parse(File.ReadAllText(dir.Combine("leak.sarif"))).RootElement;
        Assert.Equal("2.1.0", sarif.GetProperty("version").GetString());
        var run = sarif.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(["L1.4", "L3.2", "L3.1", "L2", "L3.3"], rules.Select(r => r.GetProperty("id").GetString()));
        Assert.All(rules, r => Assert.Contains("Kapoor & Narayanan (2023)", r.GetProperty("fullDescription").GetProperty("text").GetString(), StringComparison.Ordinal));
        Assert.Equal(report.GetProperty("findings").GetArrayLength(), run.GetProperty("results").GetArrayLength());
        Assert.Equal("test.csv", run.GetProperty("results")[0].GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
    }

    [Fact]
    public async Task Leak_thresholds_come_from_repro_yaml_and_flags_override_them()
    {
        using var dir = Splits(leaky: true);
        dir.Write("repro.yaml", "leak:\n  shift_threshold: 0.9\n  auc_threshold: 1\n");
        var (_, fromYaml) = await LeakJsonAsync(dir);
        Assert.Empty(Findings(fromYaml, "L3.3"));
        Assert.Single(Findings(fromYaml, "L2"));
        Assert.Equal("defaults < repro.yaml", fromYaml.GetProperty("summary").GetProperty("thresholds").GetProperty("source").GetString());

        var (_, fromFlags) = await LeakJsonAsync(dir, "--shift-threshold", "0.2", "--auc-threshold", "0.5");
        Assert.Single(Findings(fromFlags, "L3.3"));
        Assert.True(Findings(fromFlags, "L2").Length >= 1);
        Assert.Equal("defaults < repro.yaml < flags", fromFlags.GetProperty("summary").GetProperty("thresholds").GetProperty("source").GetString());

        dir.Write("repro.yaml", "leak:\n  shift: 0.9\n");
        var bad = await dir.ReproAsync(["leak", .. Roles]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown setting leak.shift", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leak_reads_semicolon_and_tab_files_sniffed_or_given_with_sep()
    {
        using var dir = Splits(leaky: true);
        var (_, comma) = await LeakJsonAsync(dir);
        var semicolonTrain = File.ReadAllText(dir.Combine("train.csv")).Replace(',', ';');
        dir.Write("train.csv", semicolonTrain);
        dir.Write("test.csv", File.ReadAllText(dir.Combine("test.csv")).Replace(',', '\t'));
        var (raw, sniffed) = await LeakJsonAsync(dir);
        Assert.Equal(1, raw.ExitCode);
        Assert.Equal(";", sniffed.GetProperty("summary").GetProperty("train").GetProperty("separator").GetString());
        Assert.Equal("tab", sniffed.GetProperty("summary").GetProperty("test").GetProperty("separator").GetString());
        Assert.Equal(Figure(Findings(comma, "L1.4")[0], "count"), Figure(Findings(sniffed, "L1.4")[0], "count"));

        dir.Write("test.csv", File.ReadAllText(dir.Combine("test.csv")).Replace('\t', ';'));
        var (_, given) = await LeakJsonAsync(dir, "--sep", ";");
        Assert.Equal(17, Figure(Findings(given, "L1.4")[0], "count"));
    }

    [Fact]
    public async Task Leak_without_roles_still_checks_duplicates_and_shift()
    {
        using var dir = Splits(leaky: true);
        var result = await dir.ReproAsync("leak", "--train", "train.csv", "--test", "test.csv", "--ignore", "id", "--ignore", "visit", "--ignore", "patient", "--json");
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(Findings(report, "L2"));
        Assert.Empty(Findings(report, "L3.2"));
        Assert.Empty(Findings(report, "L3.1"));

        // With the label compared too, only the copies whose label matched stay duplicates; all 17 kept theirs.
        Assert.Equal(17, Figure(Findings(report, "L1.4")[0], "count"));
    }

    [Theory]
    [InlineData("missing-column", "--target 'outcome' is not a column of train.csv")]
    [InlineData("mismatched-header", "the headers differ: test.csv lacks column 'city'")]
    [InlineData("ragged", "train.csv: line 4 has 8 fields, the header has 9")]
    [InlineData("unreadable", "cannot read nope.csv")]
    [InlineData("empty", "test.csv is empty")]
    [InlineData("bad-time", "test.csv: line 3: --time column 'visit' has 'soon', neither an ISO-8601 date/time nor a number")]
    [InlineData("bad-threshold", "--auc-threshold must be between 0 and 1")]
    public async Task Leak_bad_input_exits_2_with_one_line_naming_the_problem(string kind, string message)
    {
        using var dir = Splits(leaky: false);
        var train = File.ReadAllText(dir.Combine("train.csv"));
        var test = File.ReadAllText(dir.Combine("test.csv"));
        string[] args = [.. Roles];
        switch (kind)
        {
            case "missing-column":
                args = ["--train", "train.csv", "--test", "test.csv", "--target", "outcome"];
                break;
            case "mismatched-header":
                dir.Write("test.csv", test.Replace("city", "town", StringComparison.Ordinal));
                break;
            case "ragged":
                var lines = train.Split('\n');
                lines[3] = lines[3][..lines[3].LastIndexOf(',')];
                dir.Write("train.csv", string.Join('\n', lines));
                break;
            case "unreadable":
                args = ["--train", "nope.csv", "--test", "test.csv"];
                break;
            case "empty":
                dir.Write("test.csv", string.Empty);
                break;
            case "bad-time":
                var testLines = test.Split("\r\n");
                var cells = testLines[2].Split(',');
                cells[2] = "soon";
                testLines[2] = string.Join(',', cells);
                dir.Write("test.csv", string.Join("\r\n", testLines));
                break;
            case "bad-threshold":
                args = [.. Roles, "--auc-threshold", "1.5"];
                break;
        }

        var result = await dir.ReproAsync(["leak", .. args]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("repro: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
    }
}
