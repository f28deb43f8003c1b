using Repro.Blobs.Storage;
using Repro.Interop.Models;
using Repro.Judging.Comparison;
using Repro.Model;
using Repro.Model.Verdicts;
using Repro.Storage.Sql.Models;

namespace Repro.Tests.Models;

/// <summary>The registry over a real store: numbering, lineage, aliases, refusals, audit links; each store derives one test class.</summary>
public abstract class ModelRegistryContract : IAsyncLifetime
{
    private SqlRunStore _store = null!;
    private SqlDatabase _database = null!;
    private ModelRegistry _registry = null!;
    private RunManifest _run = null!;

    /// <summary>A new connection pool onto this test's store (the same store every call, empty at first).</summary>
    protected abstract Task<SqlDatabase> OpenDatabaseAsync();

    public async Task InitializeAsync()
    {
        _store = await SqlRunStore.OpenAsync(await OpenDatabaseAsync(), ownsDatabase: true, CancellationToken.None);
        _database = await OpenDatabaseAsync();
        _registry = await ModelRegistry.OpenAsync(_database, _store, TimeProvider.System, CancellationToken.None);
        _run = Trained(RunStatus.Ok);
        await _store.SaveAsync(_run, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _store.DisposeAsync();
    }


    private static RunManifest Trained(RunStatus status) => RunStoreContract.Manifest("train", status) with
    {
        Code = new CodeSnapshot { Kind = "git", Commit = new string('a', 40), Branch = "main", Dirty = true, Diff = new BlobRef(new string('d', 64), 120) },
        Deps = [new ArtifactRecord { Path = "data/train.csv", Kind = ArtifactKind.File, Sha256 = new string('1', 64), Size = 2048, Cached = true }],
        Outputs =
        [
            new ArtifactRecord { Path = "model.pkl", Kind = ArtifactKind.File, Sha256 = new string('2', 64), Size = 512, Cached = true },
            new ArtifactRecord { Path = "gone.bin", Kind = ArtifactKind.Missing },
        ],
        Environment = new EnvironmentSnapshot
        {
            Hostname = "gpu-7",
            Os = new OsInfo("Debian GNU/Linux", "12", "debian"),
            Architecture = "x86_64",
            Python = new PythonInfo
            {
                Executable = "/usr/bin/python3",
                Version = "3.11.2",
                Packages = new Dictionary<string, string> { ["numpy"] = "1.24.2", ["scikit-learn"] = "1.2.1", ["six"] = "1.16.0" },
            },
        },
    };

    [Fact]
    public async Task Versions_are_numbered_per_model_and_keep_the_runs_lineage()
    {
        var first = await _registry.RegisterAsync("fraud", _run.Id, "model.pkl", ["champion"], false, CancellationToken.None);
        var second = await _registry.RegisterAsync("fraud", _run.Id, "./model.pkl", [], false, CancellationToken.None);
        var other = await _registry.RegisterAsync("churn", _run.Id, "model.pkl", [], false, CancellationToken.None);

        Assert.Equal(1, first.Version.Version);
        Assert.Equal(2, second.Version.Version);
        Assert.Equal(1, other.Version.Version);
        Assert.Equal(["champion"], first.Aliases);

        var v = first.Version;
        var stored = await _store.GetAsync(_run.Id, CancellationToken.None);
        Assert.Equal(stored!.Digest, v.Run.Digest);
        Assert.Equal(new string('2', 64), v.Output.Sha256);
        Assert.Equal(new string('a', 40), v.Code.Commit);
        Assert.True(v.Code.Dirty);
        Assert.Equal(new string('d', 64), v.Code.DiffSha256);
        Assert.Equal("data/train.csv", Assert.Single(v.Data).Path);
        Assert.Equal("3.11.2", v.Environment.Python);
        Assert.Equal(new Dictionary<string, string> { ["numpy"] = "1.24.2", ["scikit-learn"] = "1.2.1" }, v.Environment.Packages);
        Assert.Equal(3, v.Environment.PackageCount);
        Assert.Equal("Debian GNU/Linux 12", v.Environment.Os);
        Assert.Equal("0.1", v.Params["lr"]);

        var latest = await _registry.GetAsync(ModelReference.Parse("fraud"), CancellationToken.None);
        Assert.Equal(2, latest.Version.Version);
        var champion = await _registry.GetAsync(ModelReference.Parse("fraud@champion"), CancellationToken.None);
        Assert.Equal(1, champion.Version.Version);
        Assert.Equal(first.Digest, champion.Digest);
        Assert.Equal(Repro.Model.Serialization.CanonicalJson.Serialize(first.Version), Repro.Model.Serialization.CanonicalJson.Serialize(champion.Version));
    }

    [Fact]
    public async Task Verifications_of_the_run_are_part_of_the_lineage()
    {
        await _store.SaveVerificationAsync(Verification(_run.Id, Verdict.Identical), CancellationToken.None);
        var registered = await _registry.RegisterAsync("fraud", _run.Id, "model.pkl", [], false, CancellationToken.None);
        var verification = Assert.Single(registered.Version.Verifications);
        Assert.Equal("IDENTICAL", verification.Verdict);
        Assert.Equal("reproduced bit for bit", verification.Summary);
    }

    [Fact]
    public async Task An_alias_moves_between_versions_and_refuses_unknown_versions()
    {
        await _registry.RegisterAsync("fraud", _run.Id, "model.pkl", ["champion"], false, CancellationToken.None);
        await _registry.RegisterAsync("fraud", _run.Id, "model.pkl", [], false, CancellationToken.None);

        Assert.Equal(1, await _registry.SetAliasAsync("fraud", "champion", 2, CancellationToken.None));
        Assert.Null(await _registry.SetAliasAsync("fraud", "challenger", 1, CancellationToken.None));
        Assert.Equal(2, (await _registry.GetAsync(ModelReference.Parse("fraud@champion"), CancellationToken.None)).Version.Version);

        var model = Assert.Single(await _registry.ListAsync(CancellationToken.None));
        Assert.Equal(2, model.Versions);
        Assert.Equal(2, model.Latest);
        Assert.Equal(new Dictionary<string, long> { ["challenger"] = 1, ["champion"] = 2 }, model.Aliases);
        var versions = await _registry.ListVersionsAsync("fraud", CancellationToken.None);
        Assert.Equal([["challenger"], ["champion"]], versions.Select(v => v.Aliases));

        var missing = await Assert.ThrowsAsync<ReproException>(() => _registry.SetAliasAsync("fraud", "champion", 3, CancellationToken.None));
        Assert.Equal("model fraud has no version 3 (its versions are 1 to 2)", missing.Message);
        var unknown = await Assert.ThrowsAsync<ReproException>(() => _registry.SetAliasAsync("nope", "champion", 1, CancellationToken.None));
        Assert.Contains("unknown model 'nope'", unknown.Message, StringComparison.Ordinal);
        var noAlias = await Assert.ThrowsAsync<ReproException>(() => _registry.GetAsync(ModelReference.Parse("fraud@prod"), CancellationToken.None));
        Assert.Contains("model fraud has no alias @prod", noAlias.Message, StringComparison.Ordinal);
        var noVersion = await Assert.ThrowsAsync<ReproException>(() => _registry.GetAsync(ModelReference.Parse("fraud/9"), CancellationToken.None));
        Assert.Contains("model fraud has no version 9", noVersion.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undeclared_or_missing_outputs_failed_runs_and_unknown_runs_are_refused()
    {
        var undeclared = await Assert.ThrowsAsync<ReproException>(() => _registry.RegisterAsync("fraud", _run.Id, "other.pkl", [], false, CancellationToken.None));
        Assert.Equal(ExitCode.Usage, undeclared.Code);
        Assert.Contains("did not declare the output 'other.pkl' (its outputs: model.pkl, gone.bin)", undeclared.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<ReproException>(() => _registry.RegisterAsync("fraud", _run.Id, "gone.bin", [], false, CancellationToken.None));
        Assert.Contains("was missing when the run ended", missing.Message, StringComparison.Ordinal);

        var failed = Trained(RunStatus.Failed);
        await _store.SaveAsync(failed, CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ReproException>(() => _registry.RegisterAsync("fraud", failed.Id, "model.pkl", [], false, CancellationToken.None));
        Assert.Contains("did not succeed (status failed, exit code 1)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-failed", refused.Message, StringComparison.Ordinal);
        var allowed = await _registry.RegisterAsync("fraud", failed.Id, "model.pkl", [], true, CancellationToken.None);
        Assert.Equal("failed", allowed.Version.Run.Status);

        var unknown = await Assert.ThrowsAsync<ReproException>(() => _registry.RegisterAsync("fraud", "0123456789abcdef0123456789abcdef", "model.pkl", [], false, CancellationToken.None));
        Assert.Contains("unknown run", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await _registry.ListAsync(CancellationToken.None)).Single().Latest);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("a/b")]
    [InlineData("a@b")]
    [InlineData("")]
    public async Task Names_that_would_break_references_are_refused(string name)
    {
        await Assert.ThrowsAsync<ReproException>(() => _registry.RegisterAsync(name, _run.Id, "model.pkl", [], false, CancellationToken.None));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v2")]
    [InlineData("has space")]
    public async Task Reserved_or_malformed_aliases_are_refused(string alias)
    {
        await Assert.ThrowsAsync<ReproException>(() => _registry.RegisterAsync("fraud", _run.Id, "model.pkl", [alias], false, CancellationToken.None));
        Assert.Empty(await _registry.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_registrations_never_share_a_version_number()
    {
        var registries = new List<(SqlDatabase Database, IRunStore Store, ModelRegistry Registry)>();
        for (var i = 0; i < 4; i++)
        {
            var store = await SqlRunStore.OpenAsync(await OpenDatabaseAsync(), ownsDatabase: true, CancellationToken.None);
            var database = await OpenDatabaseAsync();
            registries.Add((database, store, await ModelRegistry.OpenAsync(database, store, TimeProvider.System, CancellationToken.None)));
        }

        var versions = await Task.WhenAll(registries.Select(r => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < 5; i++)
            {
                mine.Add((await r.Registry.RegisterAsync("fraud", _run.Id, "model.pkl", [], false, CancellationToken.None)).Version.Version);
            }

            return mine;
        })));
        foreach (var (database, store, _) in registries)
        {
            await database.DisposeAsync();
            await store.DisposeAsync();
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), versions.SelectMany(v => v).Order());
    }

    [Fact]
    public async Task Every_registration_and_alias_move_is_a_link_in_an_intact_audit_chain()
    {
        var registered = await _registry.RegisterAsync("fraud", _run.Id, "model.pkl", ["champion"], false, CancellationToken.None);
        await _registry.SetAliasAsync("fraud", "champion", 1, CancellationToken.None);

        var entries = await _store.ReadAuditAsync(CancellationToken.None);
        Assert.Equal(["run", "model", "model-alias", "model-alias"], entries.Select(e => e.Kind));
        Assert.Equal("fraud/1", entries[1].Subject);
        Assert.Equal(registered.Digest, entries[1].Digest);
        Assert.Equal("fraud@champion", entries[2].Subject);
        Assert.True((await Repro.Checks.Audit.AuditVerifier.VerifyAsync(_store, CancellationToken.None)).Intact);
    }

    private static Repro.Model.Verdicts.VerificationReport Verification(string runId, Verdict verdict) => new()
    {
        Id = Repro.Recording.RunId.New(),
        Verdict = verdict,
        Run = runId,
        RunDigest = "x",
        ReproductionRuns = [],
        Mode = "worktree",
        VerifiedAt = DateTimeOffset.UtcNow,
        Tolerance = "exact",
        ToleranceSource = "default",
        Execution = new Repro.Model.Verdicts.ExecutionJudgement(0, [0], Verdict.Identical, "exit 0 both times"),
        Outputs = [],
        Metrics = [],
        Causes = [],
        Summary = "reproduced bit for bit",
    };

    [Fact]
    public async Task Models_list_by_name_in_byte_order_as_on_sqlite()
    {
        foreach (var name in new[] { "fraud", "apple", "Churn" })
        {
            await _registry.RegisterAsync(name, _run.Id, "model.pkl", [], false, CancellationToken.None);
        }

        Assert.Equal(["Churn", "apple", "fraud"], (await _registry.ListAsync(CancellationToken.None)).Select(m => m.Name));
        Assert.Equal([("Churn", 1L), ("apple", 1L), ("fraud", 1L)], await _registry.VersionsOfRunAsync(_run.Id, CancellationToken.None));
    }
}
