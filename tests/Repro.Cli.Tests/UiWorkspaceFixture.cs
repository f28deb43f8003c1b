using Repro.Blobs.Storage;
using Repro.Model.Workspaces;
using Repro.Server;

namespace Repro.Cli.Tests;

/// <summary>
/// A workspace with real recorded runs (two named runs with step metrics, a run named like a
/// script tag, a three-seed study, a verification and a model with two versions, all by the real
/// <c>repro</c>), served by a
/// real <see cref="ReproServer"/> on a free loopback port, once for a test class.
/// </summary>
public sealed class UiWorkspaceFixture : IAsyncLifetime, IDisposable
{
    public const string Python = "/usr/bin/python3";
    public const string XssName = "<script>alert(1)</script>";
    public const string Model = "fraud";

    // Logs loss and acc at every epoch to the step log, writes the final metrics and a model file.
    private const string Train = """
        import json, os, random, sys
        lr = float(sys.argv[1])
        random.seed(int(os.environ.get("REPRO_SEED", "0")))
        rows = open("data.csv").read().splitlines()[1:]
        acc = 0.5
        with open(os.environ["REPRO_METRICS_FILE"], "a") as log:
            for epoch in range(1, 9):
                acc = 0.5 + lr * epoch / 2 + random.uniform(0, 0.01)
                log.write(json.dumps({"key": "loss", "value": 1 - acc, "step": epoch}) + "\n")
                log.write(json.dumps({"key": "acc", "value": acc, "step": epoch}) + "\n")
        json.dump({"acc": acc, "rows": len(rows)}, open("metrics.json", "w"))
        open("model.txt", "w").write("weights %.6f\n" % acc)
        print("trained on %d rows, acc %.4f" % (len(rows), acc))
        """;

    private readonly Workdir _dir = new();
    private SqlRunStore? _store;
    private SqlDatabase? _database;
    private Repro.Storage.Sql.Tracking.TrackingStore? _tracking;
    private ReproServer? _server;

    public string Root => _dir.Path;

    public ReproServer Server => _server ?? throw new InvalidOperationException("not started");

    public string BaselineId { get; private set; } = string.Empty;

    public string TunedId { get; private set; } = string.Empty;

    public string XssId { get; private set; } = string.Empty;

    public string StudyId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Python), "Debian's python3 is needed (scripts/setup installs it)");
        await ReproProcess.GitAsync(_dir.Path, "init", "-q");
        _dir.Write(".gitignore", "metrics.json\nmodel.txt\n");
        _dir.Write("train.py", Train);
        _dir.Write("data.csv", "x,y\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"{i},{i % 2}\n")));
        await ReproProcess.GitAsync(_dir.Path, "add", ".");
        await ReproProcess.GitAsync(_dir.Path, "commit", "-qm", "baseline");
        await _dir.InitAsync();
        BaselineId = await RunAsync("baseline", "0.05", "--tag", "team=vision");
        TunedId = await RunAsync("tuned", "0.1", "--tag", "team=nlp");
        XssId = await RunAsync(XssName, "0.02");
        var seeds = await _dir.ReproAsync("seeds", "baseline", "-n", "3", "--json");
        Assert.True(seeds.ExitCode == 0, seeds.ToString());
        StudyId = System.Text.Json.JsonDocument.Parse(seeds.Stdout).RootElement.GetProperty("study").GetString()!;
        var verify = await _dir.ReproAsync("verify", "tuned");
        Assert.True(verify.ExitCode is 0 or 1, verify.ToString());
        foreach (var (run, alias) in new[] { ("baseline", "staging"), ("tuned", "champion") })
        {
            var register = await _dir.ReproAsync("model", "register", Model, run, "--out", "model.txt", "--alias", alias);
            Assert.True(register.ExitCode == 0, register.ToString());
        }

        await StartAsync(null);
    }

    /// <summary>(Re)starts the server over this workspace, with or without a token.</summary>
    public async Task StartAsync(string? token)
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        var workspace = Workspace.Require(_dir.Path);
        _store ??= await SqliteRunStore.OpenAsync(workspace.DatabasePath, CancellationToken.None);
        _database ??= await SqlDatabase.OpenSqliteAsync(workspace.DatabasePath, CancellationToken.None);
        _tracking ??= await Repro.Storage.Sql.Tracking.TrackingStore.OpenAsync(_database, _store, TimeProvider.System, Repro.Storage.Sql.Tracking.TrackingStore.ArtifactRootFor(workspace.ReproDirectory), CancellationToken.None);
        var context = new ServerContext { Workspace = workspace, Runs = _store, Database = _database, Cache = new ContentCache(workspace.CachePath), Tracking = _tracking };
        _server = await ReproServer.StartAsync(new ServerOptions { Port = 0, Token = token }, context, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _tracking?.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();

    private async Task<string> RunAsync(string name, string lr, params string[] extra)
    {
        var result = await _dir.ReproAsync(
        [
            "run", "--name", name, "--dep", "data.csv", "--out", "model.txt", "--metrics", "metrics.json", "--param", $"lr={lr}", "--seed", "7", .. extra,
            "--", Python, "train.py", lr,
        ]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var manifest = await _dir.ManifestAsync(name);
        return manifest.GetProperty("id").GetString()!;
    }
}
