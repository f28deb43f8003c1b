using System.Text.Json;
using Xunit.Abstractions;

namespace Repro.Cli.Tests.Faults;

/// <summary>
/// `repro pipeline run`, `repro import` and `repro seeds` SIGKILLed at random points (seeded):
/// afterwards the cache and the run store check out clean (`data fsck`, `audit verify`, SQLite's
/// integrity check) and the same command run again succeeds.
/// </summary>
public sealed class RunFaultTests(ITestOutputHelper output)
{
    private const int Reps = 6;

    private const string Prepare = """
        import os, sys
        os.makedirs("data/prepared", exist_ok=True)
        rows = open("data/raw.csv").read().splitlines()[1:]
        for i in range(300):
            open(os.path.join("data/prepared", f"part{i:03}.csv"), "w").write("\n".join(rows[i::300]) + f"\n{i}\n")
        print("prepared", len(rows), "rows")
        """;

    private const string Train = """
        import json, os
        parts = sorted(os.listdir("data/prepared"))
        size = sum(os.path.getsize(os.path.join("data/prepared", p)) for p in parts)
        open("model.bin", "wb").write(os.urandom(4 << 20))
        json.dump({"acc": size % 97 / 100.0}, open("metrics.json", "w"))
        """;

    private const string ReproYaml = """
        stages:
          prepare:
            cmd: python3 prepare.py
            deps: [data/raw.csv, prepare.py]
            outs: [data/prepared]
          train:
            cmd: python3 train.py
            deps: [data/prepared, train.py]
            outs: [model.bin]
            metrics: [metrics.json]
            seed: 7
        """;

    private const string Noisy = """
        import json, os, random
        random.seed(int(os.environ["REPRO_SEED"]))
        open("out.bin", "wb").write(random.randbytes(1 << 20))
        json.dump({"acc": 0.9 + random.gauss(0, 0.01)}, open("metrics.json", "w"))
        """;

    [Fact]
    public async Task Pipeline_run_killed_at_random_points_leaves_the_store_clean_and_the_next_run_brings_every_stage_up_to_date()
    {
        var random = new Random(4201);
        using var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        await dir.InitAsync();
        dir.Write("prepare.py", Prepare);
        dir.Write("train.py", Train);
        dir.Write("repro.yaml", ReproYaml);
        void Raw(int version) => dir.Write("data/raw.csv", "x\n" + string.Join('\n', Enumerable.Range(0, 3000).Select(i => (i * version).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "\n");

        Raw(1);
        var (full, _) = await Kill.TimeAsync(dir.Path, null, "pipeline", "run");
        var (noop, _) = await Kill.TimeAsync(dir.Path, null, "pipeline", "run");
        for (var rep = 0; rep < Reps; rep++)
        {
            Raw(rep + 2);
            var delay = Kill.Between(random, noop * 0.7, full * 1.2);
            var killed = await Kill.AfterAsync(dir.Path, null, delay, "pipeline", "run");
            output.WriteLine($"rep {rep}: kill after {delay.TotalMilliseconds:0} ms: killed {killed}");
            await StoreHealth.AssertCleanAsync(dir.Path, context: $"pipeline rep {rep}");

            await OkAsync(dir, "pipeline", "run");
            var status = await OkAsync(dir, "pipeline", "status");
            Assert.All(status.Stdout.Trim().Split('\n'), line => Assert.EndsWith(": unchanged", line, StringComparison.Ordinal));
            await StoreHealth.AssertCleanAsync(dir.Path, context: $"pipeline rep {rep}, run again");
        }
    }

    [Fact]
    public async Task Import_killed_at_random_points_leaves_the_store_clean_and_the_next_import_brings_the_run_whole()
    {
        var random = new Random(4202);
        using var source = new Workdir();
        await source.InitAsync();
        source.Write("noisy.py", Noisy);
        var big = new byte[8 << 20];
        random.NextBytes(big);
        await File.WriteAllBytesAsync(source.Combine("input.bin"), big);
        await OkAsync(source, "run", "--name", "fit", "--dep", "input.bin", "--dep", "noisy.py", "--out", "out.bin", "--metrics", "metrics.json", "--seed", "3", "--", "python3", "noisy.py");
        var id = (await source.ManifestAsync("fit")).GetProperty("id").GetString()!;
        var bundle = source.Combine("fit.reprobundle");
        await OkAsync(source, "export", "fit", "-o", bundle, "--with-data");
        var shown = await OkAsync(source, "show", id, "--json");

        using var reference = new Workdir();
        await reference.InitAsync();
        var (full, _) = await Kill.TimeAsync(reference.Path, null, "import", bundle);
        var (noop, _) = await Kill.TimeAsync(reference.Path, null, "import", bundle);
        for (var rep = 0; rep < Reps; rep++)
        {
            using var dir = new Workdir();
            await dir.InitAsync();
            var delay = Kill.Between(random, noop * 0.7, full * 1.2);
            var killed = await Kill.AfterAsync(dir.Path, null, delay, "import", bundle);
            output.WriteLine($"rep {rep}: kill after {delay.TotalMilliseconds:0} ms: killed {killed}");
            await StoreHealth.AssertCleanAsync(dir.Path, context: $"import rep {rep}");

            await OkAsync(dir, "import", bundle);
            Assert.Equal(shown.Stdout, (await OkAsync(dir, "show", id, "--json")).Stdout);
            await StoreHealth.AssertCleanAsync(dir.Path, context: $"import rep {rep}, imported again");
        }
    }

    [Fact]
    public async Task Seeds_killed_at_random_points_leaves_the_store_and_checkout_clean_and_the_next_study_succeeds()
    {
        var random = new Random(4203);
        using var dir = new Workdir();
        await ReproProcess.GitAsync(dir.Path, "init", "-q");
        dir.Write(".gitignore", "out.bin\nmetrics.json\n");
        dir.Write("noisy.py", Noisy);
        await ReproProcess.GitAsync(dir.Path, "add", ".");
        await ReproProcess.GitAsync(dir.Path, "commit", "-qm", "noisy");
        await dir.InitAsync();
        await OkAsync(dir, "run", "--name", "noisy", "--out", "out.bin", "--metrics", "metrics.json", "--seed", "1", "--", "python3", "noisy.py");
        var (full, _) = await Kill.TimeAsync(dir.Path, null, "seeds", "noisy", "-n", "4");
        var (start, _) = await Kill.TimeAsync(dir.Path, null, "show", "noisy");
        var tree = await ReproProcess.GitAsync(dir.Path, "status", "--porcelain");
        string[] Scratch() => Directory.Exists(dir.Combine(".git", "worktrees")) ? Directory.GetDirectories(dir.Combine(".git", "worktrees")) : [];
        string[] Checkouts() => Directory.Exists(dir.Combine(".repro", "tmp")) ? Directory.GetDirectories(dir.Combine(".repro", "tmp"), "verify-*") : [];
        var worktrees = Scratch();
        for (var rep = 0; rep < Reps; rep++)
        {
            var delay = Kill.Between(random, start * 0.7, full * 1.2);
            var killed = await Kill.AfterAsync(dir.Path, null, delay, "seeds", "noisy", "-n", "4", "--seed-start", (10 * (rep + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture));
            output.WriteLine($"rep {rep}: kill after {delay.TotalMilliseconds:0} ms: killed {killed}, {Checkouts().Length} scratch checkouts left");
            await StoreHealth.AssertCleanAsync(dir.Path, context: $"seeds rep {rep}");
            Assert.Equal(tree, await ReproProcess.GitAsync(dir.Path, "status", "--porcelain"));

            var study = await OkAsync(dir, "seeds", "noisy", "-n", "3", "--seed-start", (10 * (rep + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
            Assert.Equal(3, JsonDocument.Parse(study.Stdout).RootElement.GetProperty("children").GetArrayLength());
            // A killed study's scratch checkouts are git worktrees; the next study clears them away.
            Assert.Equal(worktrees, Scratch());
            Assert.Empty(Checkouts());
            await StoreHealth.AssertCleanAsync(dir.Path, context: $"seeds rep {rep}, study again");
        }
    }

    private static async Task<ReproProcess.Result> OkAsync(Workdir dir, params string[] args)
    {
        var result = await dir.ReproAsync(args);
        Assert.True(result.ExitCode == 0, $"repro {string.Join(' ', args)}\n{result}");
        return result;
    }
}
