using System.Diagnostics;
using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>DVC projects used as they are: real metadata from iterative/example-get-started and small projects run by repro.</summary>
public sealed class DvcEndToEndTests
{
    /// <summary>
    /// DVC's hashing rules re-implemented in a few lines of Python (from dvc-data's hashfile:
    /// file md5, optionally with DVC 2's dos2unix for text files, and a folder's md5 of
    /// json.dumps(sorted listing, sort_keys=True) + ".dir"), to check repro against.
    /// </summary>
    private const string DvcHashPy = """
        import hashlib, json, os, sys
        TEXT = bytes(range(32, 127)) + b"\n\r\t\f\b"
        def istext(b):
            if not b: return True
            if b"\x00" in b: return False
            return len(b.translate(None, TEXT)) / len(b) <= 0.30
        def md5(path, dos2unix):
            h, text = hashlib.md5(), None
            with open(path, "rb") as f:
                while True:
                    c = f.read(2**20)
                    if not c: break
                    if dos2unix:
                        text = istext(c[:512]) if text is None else text
                        c = c.replace(b"\r\n", b"\n") if text else c
                    h.update(c)
            return h.hexdigest()
        def dirmd5(root, dos2unix):
            entries = [{"md5": md5(os.path.join(d, f), dos2unix), "relpath": os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")}
                       for d, _, files in os.walk(root) for f in files]
            return hashlib.md5(json.dumps(sorted(entries, key=lambda e: e["relpath"]), sort_keys=True).encode()).hexdigest() + ".dir"
        legacy = sys.argv[1] == "dos2unix"
        print(json.dumps({p: dirmd5(p, legacy) if os.path.isdir(p) else md5(p, legacy) for p in sys.argv[2:]}))
        """;

    private static async Task<Dictionary<string, string>> PythonDvcHashesAsync(Workdir dir, bool dos2unix, params string[] paths)
    {
        dir.Write(".dvc_hash.py", DvcHashPy);
        var info = new ProcessStartInfo("/usr/bin/python3") { WorkingDirectory = dir.Path, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(".dvc_hash.py");
        info.ArgumentList.Add(dos2unix ? "dos2unix" : "md5");
        foreach (var path in paths)
        {
            info.ArgumentList.Add(path);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(dir.Combine(".dvc_hash.py"));
        return JsonSerializer.Deserialize<Dictionary<string, string>>(output)!;
    }

    private static void CopyFixture(string name, Workdir dir)
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dvc", name);
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var target = dir.Combine(Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public async Task Status_of_a_real_DVC_project_without_repro_init_agrees_with_its_lock_file()
    {
        using var dir = new Workdir();
        CopyFixture("example-get-started-a7e0c7d", dir);
        var status = await dir.ReproAsync("pipeline", "status", "--json");
        Assert.True(status.ExitCode == 1, status.ToString());
        var stages = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("changes").EnumerateArray().Select(c => c.GetString()!).ToList());
        Assert.Equal(["prepare", "featurize", "train", "evaluate"], stages.Keys);
        Assert.Contains("dep data/data.xml deleted", stages["prepare"]);
        Assert.Contains("out data/prepared deleted", stages["prepare"]);

        // The folder and the metrics file DVC 2 hashed are here, byte for byte: unchanged. params.yaml's
        // `split: 0.20` equals the lock's 0.2.
        Assert.Equal(["dep data/features deleted", "dep model.pkl deleted", "dep src/evaluate.py deleted", "out eval/importance.png deleted", "out eval/live/plots deleted"], stages["evaluate"]);
        Assert.DoesNotContain(stages.Values.SelectMany(c => c), c => c.StartsWith("param", StringComparison.Ordinal));

        File.AppendAllText(dir.Combine("eval", "prc", "train.json"), "\n");
        status = await dir.ReproAsync("pipeline", "status");
        Assert.Contains("  out eval/prc modified", status.Stdout, StringComparison.Ordinal);
        dir.Write("params.yaml", File.ReadAllText(dir.Combine("params.yaml")).Replace("n_est: 50", "n_est: 60", StringComparison.Ordinal));
        status = await dir.ReproAsync("pipeline", "status");
        Assert.Contains("  param train.n_est modified (50 → 60)", status.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_status_tells_whether_the_workspace_matches_dvc_lock()
    {
        using var dir = new Workdir();
        CopyFixture("example-get-started-a7e0c7d", dir);
        await dir.InitAsync();
        var status = await dir.ReproAsync("data", "status", "--json");
        Assert.True(status.ExitCode == 1, status.ToString());
        var entries = JsonDocument.Parse(status.Stdout).RootElement.EnumerateArray().ToList();
        Assert.All(entries, e => Assert.Equal(JsonValueKind.String, e.GetProperty("recorded_md5").ValueKind));

        // The committed eval/prc folder is exactly what DVC hashed; the data DVC kept in its cache is not here.
        var prc = entries.First(e => e.GetProperty("path").GetString() == "eval/prc");
        Assert.Equal("unchanged", prc.GetProperty("status").GetString());
        Assert.Equal("44c765c2eb089a5370b262b21ee88eae.dir", prc.GetProperty("current_md5").GetString());
        Assert.Equal("missing", entries.First(e => e.GetProperty("path").GetString() == "data/data.xml").GetProperty("status").GetString());

        File.AppendAllText(dir.Combine("eval", "prc", "train.json"), "\n");
        var readable = await dir.ReproAsync("data", "status");
        Assert.Equal(1, readable.ExitCode);
        Assert.Contains("modified:", readable.Stdout, StringComparison.Ordinal);
        Assert.Contains("eval/prc   (dvc.lock, stage evaluate out, md5)", readable.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_a_DVC_pipeline_writes_dvc_lock_in_DVCs_format_with_DVCs_md5s()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write(".dvc/config", string.Empty); // what `dvc init` leaves: a DVC repository with the default cache
        dir.Write("data/raw.csv", "x\n1\n2\n3\n");
        dir.Write("params.yaml", "prepare:\n  split: 0.5\n");
        dir.Write("prepare.py", "import os\nos.makedirs('data/prepared/sub', exist_ok=True)\nrows = open('data/raw.csv').read().split()[1:]\nopen('data/prepared/train.csv', 'w').write('\\n'.join(rows[:2]))\nopen('data/prepared/sub/test.csv', 'w').write(rows[2])\n");
        dir.Write("train.py", "import json\nn = len(open('data/prepared/train.csv').read().split())\nopen('model.txt', 'w').write(f'n={n}\\n')\njson.dump({'acc': 0.75}, open('metrics.json', 'w'))\n");
        dir.Write("dvc.yaml", """
            stages:
              prepare:
                cmd: python3 prepare.py
                deps:
                - data/raw.csv
                - prepare.py
                params:
                - prepare.split
                outs:
                - data/prepared
              train:
                cmd: python3 train.py
                deps:
                - data/prepared
                - train.py
                outs:
                - model.txt
                metrics:
                - metrics.json:
                    cache: false
            """);

        var run = await dir.ReproAsync("pipeline", "run");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("dvc.lock updated", run.Stdout, StringComparison.Ordinal);
        var md5 = await PythonDvcHashesAsync(dir, false, "data/raw.csv", "prepare.py", "data/prepared", "train.py", "model.txt", "metrics.json");
        Assert.Equal(
            $"""
            schema: '2.0'
            stages:
              prepare:
                cmd: python3 prepare.py
                deps:
                - path: data/raw.csv
                  hash: md5
                  md5: {md5["data/raw.csv"]}
                  size: 8
                - path: prepare.py
                  hash: md5
                  md5: {md5["prepare.py"]}
                  size: {new FileInfo(dir.Combine("prepare.py")).Length}
                params:
                  params.yaml:
                    prepare.split: 0.5
                outs:
                - path: data/prepared
                  hash: md5
                  md5: {md5["data/prepared"]}
                  size: 4
                  nfiles: 2
              train:
                cmd: python3 train.py
                deps:
                - path: data/prepared
                  hash: md5
                  md5: {md5["data/prepared"]}
                  size: 4
                  nfiles: 2
                - path: train.py
                  hash: md5
                  md5: {md5["train.py"]}
                  size: {new FileInfo(dir.Combine("train.py")).Length}
                outs:
                - path: metrics.json
                  hash: md5
                  md5: {md5["metrics.json"]}
                  size: 13
                - path: model.txt
                  hash: md5
                  md5: {md5["model.txt"]}
                  size: 4

            """,
            File.ReadAllText(dir.Combine("dvc.lock")));

        // The cached outputs are in DVC's cache as `dvc status`/`dvc checkout` expect; metrics.json (cache: false) is not.
        string Cached(string md5) => dir.Combine(".dvc", "cache", "files", "md5", md5[..2], md5[2..]);
        Assert.Equal("n=2\n", File.ReadAllText(Cached(md5["model.txt"])));
        Assert.False(File.Exists(Cached(md5["metrics.json"])));
        var files = await PythonDvcHashesAsync(dir, false, "data/prepared/train.csv", "data/prepared/sub/test.csv");
        Assert.Equal(
            $"[{{\"md5\": \"{files["data/prepared/sub/test.csv"]}\", \"relpath\": \"sub/test.csv\"}}, {{\"md5\": \"{files["data/prepared/train.csv"]}\", \"relpath\": \"train.csv\"}}]",
            File.ReadAllText(Cached(md5["data/prepared"])));
        Assert.True(File.Exists(Cached(files["data/prepared/train.csv"])));

        var again = await dir.ReproAsync("pipeline", "run");
        Assert.Equal("prepare: unchanged, skipped\ntrain: unchanged, skipped\n", again.Stdout);
        Assert.Equal(0, (await dir.ReproAsync("pipeline", "status")).ExitCode);
        var manifest = await dir.ManifestAsync("train");
        Assert.Equal("dvc.yaml", manifest.GetProperty("tags").GetProperty("pipeline").GetString());
        Assert.Equal(0.75, manifest.GetProperty("metrics").GetProperty("values").GetProperty("acc").GetDouble());
    }

    [Fact]
    public async Task DVC_2_entries_are_checked_with_dos2unix_md5s_and_keep_that_form_until_they_change()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("notes.txt", "line one\r\nline two\r\n");
        dir.Write("out.txt", "old\r\n");
        dir.Write("other.txt", "other\n");
        var legacy = await PythonDvcHashesAsync(dir, true, "notes.txt", "out.txt", "other.txt");
        var plain = await PythonDvcHashesAsync(dir, false, "notes.txt");
        Assert.NotEqual(legacy["notes.txt"], plain["notes.txt"]);
        dir.Write("dvc.yaml", "stages:\n  copy:\n    cmd: cp notes.txt out.txt\n    deps:\n    - notes.txt\n    outs:\n    - out.txt\n  keep:\n    cmd: cat other.txt\n    deps:\n    - other.txt\n");
        var keep = $"  keep:\n    cmd: cat other.txt\n    deps:\n    - path: other.txt\n      md5: {legacy["other.txt"]}\n      size: 6\n";
        dir.Write("dvc.lock", $"schema: '2.0'\nstages:\n  copy:\n    cmd: cp notes.txt out.txt\n    deps:\n    - path: notes.txt\n      md5: {legacy["notes.txt"]}\n      size: 20\n    outs:\n    - path: out.txt\n      md5: {legacy["out.txt"]}\n      size: 5\n{keep}");

        var status = await dir.ReproAsync("pipeline", "status");
        Assert.True(status.ExitCode == 0, status.ToString());

        dir.Write("dvc.yaml", File.ReadAllText(dir.Combine("dvc.yaml")).Replace("cp notes.txt out.txt", "cp notes.txt out.txt && echo copied", StringComparison.Ordinal));
        var run = await dir.ReproAsync("pipeline", "run");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("copy: running (cmd changed)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("keep: unchanged, skipped", run.Stdout, StringComparison.Ordinal);
        var lockText = File.ReadAllText(dir.Combine("dvc.lock"));
        var copied = await PythonDvcHashesAsync(dir, false, "out.txt");

        // notes.txt is unchanged: its DVC 2 entry stays; out.txt changed: DVC 3's `hash: md5` form; keep untouched.
        Assert.Contains($"    deps:\n    - path: notes.txt\n      md5: {legacy["notes.txt"]}\n      size: 20\n", lockText, StringComparison.Ordinal);
        Assert.Contains($"    outs:\n    - path: out.txt\n      hash: md5\n      md5: {copied["out.txt"]}\n      size: 20\n", lockText, StringComparison.Ordinal);
        Assert.EndsWith(keep, lockText, StringComparison.Ordinal);
        Assert.Equal(0, (await dir.ReproAsync("pipeline", "status")).ExitCode);
    }

    [Fact]
    public async Task Unsupported_and_unknown_dvc_yaml_entries_are_one_clear_line()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        foreach (var (yaml, message) in new[]
        {
            ("stages:\n  train:\n    cmd: x\n    outputs: [m]\n", "dvc.yaml: stage 'train': unknown key 'outputs'"),
            ("stages:\n  train:\n    matrix:\n      lr: [1, 2]\n    cmd: x\n", "dvc.yaml: stage 'train': 'matrix' stages are not supported by repro yet"),
            ("stages:\n  train:\n    cmd: python train.py ${lr}\n", "dvc.yaml: stage 'train': 'python train.py ${lr}' uses ${…} templating"),
            ("stagez: {}\n", "dvc.yaml: unknown top-level key 'stagez'"),
        })
        {
            dir.Write("dvc.yaml", yaml);
            var result = await dir.ReproAsync("pipeline", "status");
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.StartsWith($"repro: {message}", result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }

        dir.Write("dvc.yaml", "stages:\n  train:\n    cmd: echo\n");
        dir.Write("dvc.lock", "stages:\n  train:\n    cmd: echo\n");
        var old = await dir.ReproAsync("pipeline", "run");
        Assert.Equal(2, old.ExitCode);
        Assert.Contains("dvc.lock is malformed: no schema: '2.0'", old.Stderr, StringComparison.Ordinal);
    }
}
