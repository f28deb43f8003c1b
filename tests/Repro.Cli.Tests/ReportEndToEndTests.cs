using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Repro.Tests.Shared;

namespace Repro.Cli.Tests;

/// <summary>
/// record → verify → study → report with the real binary and Debian's Python, the reports opened
/// in headless Chromium, signed, verified and tampered with, and the checklist's level for CI.
/// </summary>
public sealed partial class ReportEndToEndTests
{
    private const string Python = "/usr/bin/python3";
    private const string Chromium = "/usr/bin/chromium";

    // Python's random module gives the same numbers for a seed on every platform, so the
    // metrics (and the report's charts) are the same on every machine.
    private const string Train = """
        import json, os, random
        seed = int(os.environ["REPRO_SEED"])
        random.seed(seed)
        rows = open("data.csv").read().splitlines()[1:]
        with open(os.environ["REPRO_METRICS_FILE"], "a") as log:
            for step in range(8):
                log.write(json.dumps({"key": "loss", "value": round(1.0 / (step + 1) + random.random() * 0.02, 6), "step": step}) + "\n")
        acc = round(0.9 + random.gauss(0, 0.01), 6)
        json.dump({"acc": acc, "rows": len(rows)}, open("metrics.json", "w"))
        open("model.txt", "w").write(f"weights {acc}\n")
        """;

    private static async Task<Workdir> ProjectAsync()
    {
        Assert.True(File.Exists(Python), "Debian's python3 is needed (scripts/test installs it)");
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q", "-b", "main");
        dir.Write(".gitignore", "metrics.json\nmodel.txt\n*.html\n*.md\n*.json\n*.png\nkeys/\n");
        dir.Write("train.py", Train);
        dir.Write("data.csv", "income,debt,approved\n52000,1200,1\n31000,9000,0\n78000,300,1\n");
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "baseline");
        await dir.InitAsync();
        return dir;
    }

    private static async Task<JsonElement> JsonAsync(Workdir dir, int expectedExit, params string[] args)
    {
        var result = await dir.ReproAsync(args);
        Assert.True(result.ExitCode == expectedExit, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }

    private sealed record Recorded(string Run, string Verification, IReadOnlyList<string> Reruns, string Study, IReadOnlyList<string> Seeds);

    private static async Task<Recorded> RecordVerifyAndStudyAsync(Workdir dir)
    {
        var run = await dir.ReproAsync("run", "-q", "--name", "loans", "--seed", "3", "--deterministic", "--param", "trees=20", "--dep", "data.csv", "--out", "model.txt", "--metrics", "metrics.json", "--", Python, "train.py");
        Assert.True(run.ExitCode == 0, run.ToString());
        var runId = (await dir.ManifestAsync()).GetProperty("id").GetString()!;
        var verification = await JsonAsync(dir, 0, "verify", runId, "--json");
        Assert.Equal("IDENTICAL", verification.GetProperty("verdict").GetString());
        var study = await JsonAsync(dir, 0, "seeds", runId, "-n", "5", "--json");
        return new Recorded(
            runId,
            verification.GetProperty("id").GetString()!,
            verification.GetProperty("reproduction_runs").EnumerateArray().Select(r => r.GetString()!).ToList(),
            study.GetProperty("study").GetString()!,
            study.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("run_id").GetString()!).ToList());
    }

    /// <summary>Replaces what differs between machines and test runs: ids, hashes, commits, times, durations, the environment.</summary>
    private static string Scrub(string report, Recorded ids, Workdir dir)
    {
        var named = new List<(string Id, string Name)> { (ids.Run, "run"), (ids.Verification, "verification"), (ids.Study, "study") };
        named.AddRange(ids.Reruns.Select((r, i) => (r, $"rerun-{i + 1}")));
        named.AddRange(ids.Seeds.Select((s, i) => (s, $"seed-{i + 1}")));
        foreach (var (id, name) in named)
        {
            report = report.Replace(id, $"{{{name}}}", StringComparison.Ordinal).Replace(id[..12], $"{{{name}:12}}", StringComparison.Ordinal).Replace(id[..8], $"{{{name}:8}}", StringComparison.Ordinal);
        }

        // The environment first: what it shows (a container id from mountinfo while containers run
        // beside the test) must not shift the numbering of the hashes after it.
        report = EnvironmentSection().Replace(report, "<section id=\"environment\">{scrubbed: this machine}</section>");
        report = EnvironmentEvidence().Replace(report, "$1{scrubbed: this machine}$2");

        // Hashes and commits by order of appearance, their 12-character short forms too.
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var hash in Sha256().Matches(report).Concat(Commit().Matches(report)).Select(m => m.Value).Distinct())
        {
            hashes[hash] = hash.Length == 40 ? "{commit}" : $"{{sha256-{hashes.Count(h => h.Key.Length == 64) + 1}}}";
        }

        foreach (var (hash, name) in hashes)
        {
            report = report.Replace(hash, name, StringComparison.Ordinal).Replace(hash[..12], name.TrimEnd('}') + ":12}", StringComparison.Ordinal);
        }

        report = Distributions().Replace(report, "{n} distributions");
        report = Times().Replace(report, "{time}");
        report = Durations().Replace(report, "{seconds}");
        report = report.Replace(dir.Path, "{workdir}", StringComparison.Ordinal).Replace(Environment.MachineName, "{host}", StringComparison.Ordinal);
        return Snapshot.ScrubCreationTime(report);
    }

    [Fact]
    public async Task Record_verify_study_then_report_as_stable_self_contained_HTML_that_Chromium_renders_and_prints_without_console_errors()
    {
        using var dir = await ProjectAsync();
        var ids = await RecordVerifyAndStudyAsync(dir);

        foreach (var (subject, file) in new[] { (ids.Run, "run.html"), (ids.Study, "study.html"), (ids.Verification[..8], "verification.html"), (ids.Run, "run.md"), (ids.Run, "run.json") })
        {
            var made = await dir.ReproAsync("report", subject, "-o", dir.Combine(file));
            Assert.True(made.ExitCode == 0, made.ToString());
            Assert.Contains("report written to", made.Stderr, StringComparison.Ordinal);
        }

        var html = await File.ReadAllTextAsync(dir.Combine("run.html"));
        Assert.Contains("<svg class=\"chart\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var study = await File.ReadAllTextAsync(dir.Combine("study.html"));
        Assert.Contains("over 5 seeds", study, StringComparison.Ordinal);
        var verification = await File.ReadAllTextAsync(dir.Combine("verification.html"));
        Assert.Contains("Deviation of each metric", verification, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(dir.Combine("run.json"))))
        {
            Assert.Equal(ids.Run, json.RootElement.GetProperty("subject").GetString());
            Assert.Equal("R4 Experiment", json.RootElement.GetProperty("checklist").GetProperty("level_name").GetString());
        }

        // Stable: made again from the same records (here on stdout, with a German locale asked for), only the creation line differs.
        var again = await ReproProcess.RunWithAsync(dir.Path, new Dictionary<string, string?> { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" }, null, "report", ids.Run);
        Assert.True(again.ExitCode == 0, again.ToString());
        var before = html.Split('\n');
        var after = again.Stdout.Split('\n');
        Assert.Equal(before.Length, after.Length);
        Assert.All(Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]), i => Assert.StartsWith("<p class=\"made\">", before[i], StringComparison.Ordinal));

        Snapshot.Match(Scrub(html, ids, dir), "e2e-run-report", "html");
        Snapshot.Match(Scrub(study, ids, dir), "e2e-study-report", "html");

        // Every report is in the audit log with the SHA-256 of its bytes.
        var audit = await JsonAsync(dir, 0, "audit", "log", "--json");
        var reports = audit.EnumerateArray().Where(e => e.GetProperty("kind").GetString() == "report").ToList();
        Assert.Equal(6, reports.Count);
        Assert.Contains(reports, e => e.GetProperty("subject").GetString() == ids.Run && e.GetProperty("digest").GetString() == ReproProcess.Sha256(html));
        Assert.Contains(reports, e => e.GetProperty("subject").GetString() == ids.Verification);
        Assert.Equal(0, (await dir.ReproAsync("audit", "verify")).ExitCode);

        // Chromium: a console error in a page is caught (the control), none in the reports.
        dir.Write("broken.html", "<html><body><script>undefinedFunction();</script></body></html>");
        Assert.NotEmpty((await ScreenshotAsync(dir, "broken.html")).ConsoleLines);
        foreach (var file in new[] { "run.html", "study.html", "verification.html" })
        {
            var shot = await ScreenshotAsync(dir, file);
            Assert.True(shot.ConsoleLines.Count == 0, $"{file}: {string.Join('\n', shot.ConsoleLines)}");
            var png = await File.ReadAllBytesAsync(shot.Png);
            Assert.True(png.Length > 20_000, $"{file}: screenshot of {png.Length} bytes");
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }

        // Readable printed: the print style gives a real PDF.
        var pdf = dir.Combine("study.pdf");
        var printed = await ChromiumAsync(dir, "print", $"--print-to-pdf={pdf}", "--no-pdf-header-footer", new Uri(dir.Combine("study.html")).AbsoluteUri);
        Assert.True(File.Exists(pdf), printed);
        var pdfBytes = await File.ReadAllBytesAsync(pdf);
        Assert.True(pdfBytes.Length > 10_000, $"a PDF of {pdfBytes.Length} bytes");
        Assert.Equal("%PDF"u8.ToArray(), pdfBytes[..4]);
    }

    [Fact]
    public async Task A_signed_report_verifies_with_the_public_key_and_a_tampered_one_fails_with_exit_1()
    {
        using var dir = await ProjectAsync();
        var ids = await RecordVerifyAndStudyAsync(dir);
        Directory.CreateDirectory(dir.Combine("keys"));
        var key = dir.Combine("keys", "signing.pem");

        var made = await dir.ReproAsync("key", "new", key);
        Assert.True(made.ExitCode == 0, made.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.True(File.Exists(key + ".pub"));
        var original = await File.ReadAllTextAsync(key);
        var twice = await dir.ReproAsync("key", "new", key);
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("never overwrites", twice.Stderr, StringComparison.Ordinal);
        Assert.Equal(original, await File.ReadAllTextAsync(key));

        foreach (var file in new[] { "signed.html", "signed.md", "signed.json" })
        {
            var signed = await dir.ReproAsync("report", ids.Run, "-o", dir.Combine(file), "--sign", key);
            Assert.True(signed.ExitCode == 0, signed.ToString());
            var ok = await dir.ReproAsync("report", "verify", dir.Combine(file), "--key", key + ".pub");
            Assert.True(ok.ExitCode == 0, ok.ToString());
            Assert.Contains("signature valid", ok.Stdout, StringComparison.Ordinal);
        }

        using (JsonDocument.Parse(await File.ReadAllTextAsync(dir.Combine("signed.json"))))
        {
            // A signed JSON report is still one JSON document.
        }

        var text = await File.ReadAllTextAsync(dir.Combine("signed.html"));
        var tampered = text.Replace("IDENTICAL", "DIVERGED", StringComparison.Ordinal);
        Assert.NotEqual(text, tampered);
        await File.WriteAllTextAsync(dir.Combine("tampered.html"), tampered);
        var bad = await dir.ReproAsync("report", "verify", dir.Combine("tampered.html"), "--key", key + ".pub");
        Assert.True(bad.ExitCode == 1, bad.ToString());
        Assert.Contains("INVALID", bad.Stdout, StringComparison.Ordinal);

        var otherKey = dir.Combine("keys", "other.pem");
        Assert.Equal(0, (await dir.ReproAsync("key", "new", otherKey)).ExitCode);
        var wrong = await dir.ReproAsync("report", "verify", dir.Combine("signed.html"), "--key", otherKey + ".pub");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("not with the given key", wrong.Stdout, StringComparison.Ordinal);

        var unsigned = await dir.ReproAsync("report", ids.Run, "-o", dir.Combine("plain.html"));
        Assert.Equal(0, unsigned.ExitCode);
        Assert.Equal(1, (await dir.ReproAsync("report", "verify", dir.Combine("plain.html"), "--key", key + ".pub")).ExitCode);
        Assert.Equal(2, (await dir.ReproAsync("report", "verify", dir.Combine("missing.html"), "--key", key + ".pub")).ExitCode);
    }

    [Fact]
    public async Task Check_gives_every_item_with_evidence_and_fail_under_R4_fails_a_run_without_declared_data()
    {
        using var dir = await ProjectAsync();
        var ids = await RecordVerifyAndStudyAsync(dir);

        var full = await JsonAsync(dir, 0, "check", ids.Run, "--json", "--fail-under", "R4");
        Assert.Equal("r4", full.GetProperty("level").GetString()!.ToLowerInvariant());
        var items = full.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("status").GetString()!);
        Assert.Equal(["code", "data", "environment", "dependencies", "seed", "determinism", "lint", "leakage", "seeds", "verified", "second_environment", "tried"], items.Keys);
        Assert.Equal("yes", items["seeds"]);
        Assert.Equal("yes", items["verified"]);
        Assert.Equal("no", items["second_environment"]);
        Assert.Equal("no", items["lint"]);

        var text = await dir.ReproAsync("check", ids.Run);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("reproducibility (Gundersen): R4 Experiment", text.Stdout, StringComparison.Ordinal);

        var bare = await dir.ReproAsync("run", "-q", "--name", "no-data", "--", Python, "-c", "print(1)");
        Assert.Equal(0, bare.ExitCode);
        var below = await dir.ReproAsync("check", "no-data", "--fail-under", "R4");
        Assert.True(below.ExitCode == 1, below.ToString());
        Assert.Contains("R2 Code is below R4 Experiment", below.Stderr, StringComparison.Ordinal);
        Assert.Contains("R3 Data: data hashed", below.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await dir.ReproAsync("check", "no-data", "--fail-under", "R2")).ExitCode);
        Assert.Equal(2, (await dir.ReproAsync("check", "no-data", "--fail-under", "R9")).ExitCode);
    }

    private sealed record Shot(string Png, IReadOnlyList<string> ConsoleLines);

    private static async Task<string> ChromiumAsync(Workdir dir, string profileName, params string[] args)
    {
        Assert.True(File.Exists(Chromium), "Debian's chromium is needed for the report rendering test: scripts/setup installs it (apt-get install chromium)");
        var info = new ProcessStartInfo(Chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={dir.Combine(".chromium-" + profileName)}",
            "--window-size=1280,800", "--enable-logging=stderr", "--v=0",
        }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return $"exit {process.ExitCode}\n{await stderr}{await stdout}";
    }

    /// <summary>Opens a file in headless Chromium, screenshots it and returns the page's console lines.</summary>
    private static async Task<Shot> ScreenshotAsync(Workdir dir, string file)
    {
        var png = dir.Combine(Path.ChangeExtension(file, ".png"));
        var log = await ChromiumAsync(dir, Path.GetFileNameWithoutExtension(file), $"--screenshot={png}", new Uri(dir.Combine(file)).AbsoluteUri);
        Assert.True(File.Exists(png), $"chromium wrote no screenshot of {file}: {log}");
        var console = log.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)).ToList();
        return new Shot(png, console);
    }

    [GeneratedRegex("\\b[0-9a-f]{64}\\b")]
    private static partial Regex Sha256();

    [GeneratedRegex("\\b[0-9a-f]{40}\\b")]
    private static partial Regex Commit();

    [GeneratedRegex("<section id=\"environment\">.*?</section>", RegexOptions.Singleline)]
    private static partial Regex EnvironmentSection();

    [GeneratedRegex("(<td>Environment captured</td><td class=\"[a-z]+\">[A-Za-z]+</td><td>)[^<]*(</td>)")]
    private static partial Regex EnvironmentEvidence();

    [GeneratedRegex("\\d+ distributions")]
    private static partial Regex Distributions();

    [GeneratedRegex("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC")]
    private static partial Regex Times();

    [GeneratedRegex("\\b\\d+\\.\\d\\d s\\b")]
    private static partial Regex Durations();
}
