using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>Export on one workspace, import and verify in another (a different folder, not even a git repository), and bundles that must be refused.</summary>
public sealed class BundleEndToEndTests
{
    private const string Python = "/usr/bin/python3";

    private static async Task<(Workdir Dir, string RunId)> RecordedAsync()
    {
        var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write(".gitignore", "model.txt\nmetrics.json\ndata.csv\n"); // data is versioned by repro, not git
        dir.Write("data.csv", "x,y\n1,2\n2,4\n3,6\n");
        dir.Write("train.py", """
            import json, os, random
            random.seed(int(os.environ["REPRO_SEED"]))
            rows = open("data.csv").read().split()[1:]
            slope = sum(float(r.split(",")[1]) / float(r.split(",")[0]) for r in rows) / len(rows)
            open("model.txt", "w").write(f"slope={slope + random.random() * 0:.6f}\n")
            json.dump({"slope": slope, "noise": random.random()}, open("metrics.json", "w"))
            """);
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "fit");
        dir.Write("train.py", File.ReadAllText(dir.Combine("train.py")) + "\nprint('uncommitted edit')\n");
        await dir.InitAsync();
        var run = await dir.ReproAsync("run", "--name", "fit", "--seed", "3", "--dep", "data.csv", "--out", "model.txt", "--metrics", "metrics.json", "--", Python, "train.py");
        Assert.True(run.ExitCode == 0, run.ToString());
        var verify = await dir.ReproAsync("verify", "fit");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        return (dir, (await dir.ManifestAsync("fit")).GetProperty("id").GetString()!);
    }

    private static async Task<Workdir> ElsewhereAsync()
    {
        var other = new Workdir();
        await other.InitAsync();
        return other;
    }

    [Fact]
    public async Task A_bundle_with_data_imports_elsewhere_and_verifies_IDENTICAL_there()
    {
        var (dir, id) = await RecordedAsync();
        using var _ = dir;
        var bundle = dir.Combine("fit.reprobundle");
        var export = await dir.ReproAsync("export", "fit", "-o", bundle, "--with-data");
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("inputs included", export.Stdout, StringComparison.Ordinal);

        using var other = await ElsewhereAsync();
        var import = await other.ReproAsync("import", bundle);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains($"imported run {id[..8]}", import.Stdout, StringComparison.Ordinal);

        // Same manifest, same digest, on the other side.
        var original = await dir.ReproAsync("show", id, "--json");
        var imported = await other.ReproAsync("show", id, "--json");
        Assert.Equal(original.Stdout, imported.Stdout);

        // No git repository here: the commit's files came with the bundle, and the uncommitted edit is applied on top.
        var (exit, report) = await VerifyAsync(other, id);
        Assert.True(exit == 0, report.ToString());
        Assert.Equal("IDENTICAL", report.GetProperty("verdict").GetString());

        var again = await other.ReproAsync("import", bundle);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("0 run(s) new", again.Stdout, StringComparison.Ordinal);

        var audit = await other.ReproAsync("audit", "verify");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var log = await other.ReproAsync("audit", "log", "--json");
        Assert.Contains(JsonDocument.Parse(log.Stdout).RootElement.EnumerateArray(), e => e.GetProperty("kind").GetString() == "import");
        var exported = await dir.ReproAsync("audit", "log", "--json");
        Assert.Contains(JsonDocument.Parse(exported.Stdout).RootElement.EnumerateArray(), e => e.GetProperty("kind").GetString() == "export");
    }

    [Fact]
    public async Task Without_data_the_import_verifies_only_once_the_inputs_are_there()
    {
        var (dir, id) = await RecordedAsync();
        using var _ = dir;
        var bundle = dir.Combine("fit.reprobundle");
        Assert.Equal(0, (await dir.ReproAsync("export", id, "-o", bundle)).ExitCode);
        using var other = await ElsewhereAsync();
        Assert.Equal(0, (await other.ReproAsync("import", bundle)).ExitCode);
        var verify = await other.ReproAsync("verify", id, "--json");
        Assert.Equal(3, verify.ExitCode);
        var report = JsonDocument.Parse(verify.Stdout).RootElement;
        Assert.Equal("FAILED", report.GetProperty("verdict").GetString());
        Assert.Contains("data.csv", report.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    private static async Task<(int Exit, JsonElement Report)> VerifyAsync(Workdir dir, string id)
    {
        var result = await dir.ReproAsync("verify", id, "--json");
        Assert.True(result.Stdout.TrimStart().StartsWith('{'), result.ToString());
        return (result.ExitCode, JsonDocument.Parse(result.Stdout).RootElement.Clone());
    }

    /// <summary>Copies a bundle entry by entry, letting <paramref name="change"/> drop, rename or rewrite entries, then adds <paramref name="extra"/>.</summary>
    private static string Rewrite(string bundle, string name, Func<string, byte[], (string Name, byte[] Bytes)?> change, params (string Name, byte[] Bytes)[] extra)
    {
        var target = Path.Combine(Path.GetDirectoryName(bundle)!, name);
        using var source = ZipFile.OpenRead(bundle);
        using var output = ZipFile.Open(target, ZipArchiveMode.Create);
        foreach (var entry in source.Entries)
        {
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            if (change(entry.FullName, buffer.ToArray()) is { } kept)
            {
                using var write = output.CreateEntry(kept.Name).Open();
                write.Write(kept.Bytes);
            }
        }

        foreach (var (entryName, bytes) in extra)
        {
            using var write = output.CreateEntry(entryName).Open();
            write.Write(bytes);
        }

        return target;
    }

    [Fact]
    public async Task Bundles_that_escape_lie_or_collide_are_refused_and_nothing_is_imported()
    {
        var (dir, id) = await RecordedAsync();
        using var _ = dir;
        var bundle = dir.Combine("fit.reprobundle");
        Assert.Equal(0, (await dir.ReproAsync("export", id, "-o", bundle, "--with-data")).ExitCode);
        byte[] Text(string s) => Encoding.UTF8.GetBytes(s);
        var bad = new Dictionary<string, (string Path, int Exit, string Says)>
        {
            ["zip slip"] = (Rewrite(bundle, "slip.reprobundle", (n, b) => (n, b), ("blobs/../../evil.sh", Text("echo owned"))), 2, "escape"),
            ["absolute"] = (Rewrite(bundle, "abs.reprobundle", (n, b) => (n, b), ("/etc/evil", Text("x"))), 2, "escape"),
            ["duplicate"] = (Rewrite(bundle, "dup.reprobundle", (n, b) => (n, b), ($"runs/{id}.json", Text("{}"))), 2, "twice"),
            ["unknown entry"] = (Rewrite(bundle, "extra.reprobundle", (n, b) => (n, b), ("notes.txt", Text("hi"))), 2, "unexpected"),
            ["altered manifest"] = (Rewrite(bundle, "altered.reprobundle", (n, b) => (n, n.StartsWith("runs/", StringComparison.Ordinal) ? Text(Encoding.UTF8.GetString(b).Replace("\"seed\":3", "\"seed\":4", StringComparison.Ordinal)) : b)), 2, "altered"),
            ["corrupt blob"] = (Rewrite(bundle, "corrupt.reprobundle", (n, b) => (n, n.StartsWith("blobs/", StringComparison.Ordinal) && b.Length > 0 ? b.Select(x => (byte)(x ^ 1)).ToArray() : b)), 3, "corrupt"),
            ["no index"] = (Rewrite(bundle, "noindex.reprobundle", (n, b) => n == "bundle.json" ? null : (n, b)), 2, "bundle.json"),
        };
        var notZip = dir.Write("plain.reprobundle", "not a zip");
        bad["not a zip"] = (notZip, 2, "not a zip");

        using var other = await ElsewhereAsync();
        foreach (var (what, (path, exit, says)) in bad)
        {
            var result = await other.ReproAsync("import", path);
            Assert.True(result.ExitCode == exit, $"{what}: {result}");
            Assert.Contains(says, result.Stderr, StringComparison.Ordinal);
            var runs = await other.ReproAsync("runs", "--json");
            Assert.Equal("[]", runs.Stdout.Trim());
        }

        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "evil.sh")));
        Assert.False(File.Exists(Path.Combine(other.Path, ".repro", "evil.sh")));
    }

    [Fact]
    public async Task A_run_already_here_with_other_content_is_never_overwritten()
    {
        var (dir, id) = await RecordedAsync();
        using var _ = dir;
        var bundle = dir.Combine("fit.reprobundle");
        Assert.Equal(0, (await dir.ReproAsync("export", id, "-o", bundle)).ExitCode);

        // A consistent forgery: the manifest changed and the index updated to match.
        string? forgedDigest = null;
        var forged = Rewrite(bundle, "forged.reprobundle", (n, b) =>
        {
            if (!n.StartsWith($"runs/{id}", StringComparison.Ordinal))
            {
                return (n, b);
            }

            var text = Encoding.UTF8.GetString(b).Replace("\"name\":\"fit\"", "\"name\":\"fit2\"", StringComparison.Ordinal);
            forgedDigest = ReproProcess.Sha256(text);
            return (n, Encoding.UTF8.GetBytes(text));
        });
        var index = ReadEntry(forged, "bundle.json");
        forged = Rewrite(forged, "forged2.reprobundle", (n, b) => n == "bundle.json" ? (n, Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace(FindDigest(index, id), forgedDigest!, StringComparison.Ordinal))) : (n, b));

        using var other = await ElsewhereAsync();
        Assert.Equal(0, (await other.ReproAsync("import", bundle)).ExitCode);
        var result = await other.ReproAsync("import", forged);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("already recorded here with different content", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("fit", (await other.ManifestAsync(id)).GetProperty("name").GetString());
    }

    private static string ReadEntry(string bundle, string name)
    {
        using var zip = ZipFile.OpenRead(bundle);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static string FindDigest(string index, string id) =>
        JsonDocument.Parse(index).RootElement.GetProperty("runs").EnumerateArray().Single(r => r.GetProperty("id").GetString() == id).GetProperty("digest").GetString()!;
}
