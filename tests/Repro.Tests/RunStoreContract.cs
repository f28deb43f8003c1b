using Repro.Blobs.Storage;
using Repro.Checks.Audit;
using Repro.Judging.Comparison;
using Repro.Model;
using Repro.Model.Verdicts;
using Repro.Recording;

namespace Repro.Tests;

/// <summary>The behaviour every run store must have; each implementation derives one test class.</summary>
public abstract class RunStoreContract
{
    protected abstract Task<IRunStore> OpenAsync(TempDirectory dir);

    public static RunManifest Manifest(string? name = null, RunStatus status = RunStatus.Ok, DateTimeOffset? created = null, double acc = 0.9) => new()
    {
        Id = RunId.New(),
        Name = name,
        Status = status,
        CreatedAt = created ?? DateTimeOffset.UtcNow,
        Code = new CodeSnapshot { Kind = "tree" },
        Deps = [],
        Outputs = [],
        Params = new Dictionary<string, string> { ["lr"] = "0.1" },
        ParamsFiles = [],
        Seed = 42,
        Determinism = new DeterminismProfile(),
        Environment = new EnvironmentSnapshot(),
        Metrics = new MetricsRecord
        {
            Values = new Dictionary<string, double> { ["acc"] = acc, ["loss"] = double.NaN },
            Steps = new Dictionary<string, IReadOnlyList<MetricStep>> { ["loss"] = [new MetricStep(0, 1.0), new MetricStep(1, 0.5)] },
        },
        Execution = new ExecutionRecord
        {
            Argv = ["python", "train.py"],
            Command = ["python", "train.py"],
            WorkingDir = ".",
            StartedAt = created ?? DateTimeOffset.UtcNow,
            EndedAt = created ?? DateTimeOffset.UtcNow,
            ExitCode = status == RunStatus.Ok ? 0 : 1,
            Stdout = new CapturedOutput(),
            Stderr = new CapturedOutput(),
        },
        Tags = new Dictionary<string, string> { ["team"] = "credit" },
        Warnings = [],
    };

    [Fact]
    public async Task A_saved_run_reads_back_identically_with_its_digest()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        var manifest = Manifest("baseline");
        await store.SaveAsync(manifest, CancellationToken.None);
        var stored = await store.GetAsync(manifest.Id, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(Repro.Blobs.Hashing.Sha256Hasher.HashBytes(System.Text.Encoding.UTF8.GetBytes(stored.Json)), stored.Digest);
        Assert.Equal(stored.Json, System.Text.Encoding.UTF8.GetString(Repro.Model.Serialization.CanonicalJson.Serialize(stored.Manifest)));
        Assert.Equal(0.9, stored.Manifest.Metrics.Values["acc"]);
        Assert.True(double.IsNaN(stored.Manifest.Metrics.Values["loss"]));
        Assert.Null(await store.GetAsync(RunId.New(), CancellationToken.None));
    }

    [Fact]
    public async Task Runs_list_newest_first_and_filter_by_name_and_status()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var a = Manifest("a", created: start);
        var b = Manifest("b", RunStatus.Failed, start.AddMinutes(1));
        var c = Manifest("a", created: start.AddMinutes(2), acc: 0.95);
        foreach (var m in new[] { a, b, c })
        {
            await store.SaveAsync(m, CancellationToken.None);
        }

        var all = await store.ListAsync(new RunQuery(), CancellationToken.None);
        Assert.Equal([c.Id, b.Id, a.Id], all.Select(r => r.Id));
        Assert.Equal(0.95, all[0].Metrics["acc"]);
        Assert.Equal([c.Id, a.Id], (await store.ListAsync(new RunQuery { Name = "a" }, CancellationToken.None)).Select(r => r.Id));
        Assert.Equal([b.Id], (await store.ListAsync(new RunQuery { Status = RunStatus.Failed }, CancellationToken.None)).Select(r => r.Id));
        Assert.Single(await store.ListAsync(new RunQuery { Limit = 1 }, CancellationToken.None));
    }

    [Fact]
    public async Task Runs_resolve_by_id_prefix_name_and_last()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        var old = Manifest("baseline", created: DateTimeOffset.UtcNow.AddMinutes(-5));
        var recent = Manifest("baseline");
        await store.SaveAsync(old, CancellationToken.None);
        await store.SaveAsync(recent, CancellationToken.None);

        Assert.Equal(old.Id, await RunResolver.ResolveAsync(store, old.Id, CancellationToken.None));
        Assert.Equal(old.Id, await RunResolver.ResolveAsync(store, old.Id[..8], CancellationToken.None));
        Assert.Equal(recent.Id, await RunResolver.ResolveAsync(store, "baseline", CancellationToken.None));
        Assert.Equal(recent.Id, await RunResolver.ResolveAsync(store, RunId.Last, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<ReproException>(() => RunResolver.ResolveAsync(store, "nope", CancellationToken.None));
        Assert.Equal(ExitCode.Usage, unknown.Code);
        var shortPrefix = await Assert.ThrowsAsync<ReproException>(() => RunResolver.ResolveAsync(store, old.Id[..3], CancellationToken.None));
        Assert.Contains("at least 4", shortPrefix.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ambiguous_prefix_is_an_error_listing_the_candidates()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        var first = Manifest() with { Id = "abcd" + new string('0', 28) };
        var second = Manifest() with { Id = "abcd" + new string('1', 28) };
        await store.SaveAsync(first, CancellationToken.None);
        await store.SaveAsync(second, CancellationToken.None);
        var error = await Assert.ThrowsAsync<ReproException>(() => RunResolver.ResolveAsync(store, "abcd", CancellationToken.None));
        Assert.Contains("ambiguous", error.Message, StringComparison.Ordinal);
        Assert.Equal(second.Id, await RunResolver.ResolveAsync(store, "abcd1", CancellationToken.None));
    }

    [Fact]
    public async Task Saving_the_same_id_twice_fails_and_leaves_the_first_intact()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        var manifest = Manifest("x");
        await store.SaveAsync(manifest, CancellationToken.None);
        await Assert.ThrowsAnyAsync<Exception>(() => store.SaveAsync(manifest with { Name = "y" }, CancellationToken.None));
        Assert.Equal("x", (await store.GetAsync(manifest.Id, CancellationToken.None))!.Manifest.Name);
    }

    [Fact]
    public async Task Concurrent_writers_lose_nothing()
    {
        using var dir = new TempDirectory();
        await using (await OpenAsync(dir))
        {
        }

        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var store = await OpenAsync(dir);
            for (var i = 0; i < 25; i++)
            {
                await store.SaveAsync(Manifest("parallel"), CancellationToken.None);
            }
        }));
        await Task.WhenAll(writers);
        await using var reader = await OpenAsync(dir);
        Assert.Equal(100, (await reader.ListAsync(new RunQuery { Limit = 0 }, CancellationToken.None)).Count);
    }

    public static VerificationReport Report(string runId, Verdict verdict = Verdict.Identical, DateTimeOffset? at = null) => new()
    {
        Id = RunId.New(),
        Verdict = verdict,
        Run = runId,
        RunDigest = new string('d', 64),
        ReproductionRuns = [],
        Mode = "scratch",
        VerifiedAt = at ?? DateTimeOffset.UtcNow,
        Tolerance = Tolerance.Default.ToString(),
        ToleranceSource = "defaults",
        Execution = new ExecutionJudgement(0, [0], Verdict.Identical, "exit code 0 as recorded"),
        Outputs = [],
        Metrics = [],
        Causes = [],
        Summary = "IDENTICAL",
    };

    [Fact]
    public async Task Verification_reports_are_stored_listed_newest_first_and_read_back_with_their_digest()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        var run = Manifest("v");
        await store.SaveAsync(run, CancellationToken.None);
        var start = DateTimeOffset.UtcNow;
        var first = Report(run.Id, Verdict.Identical, start);
        var second = Report(run.Id, Verdict.Diverged, start.AddMinutes(1));
        await store.SaveVerificationAsync(first, CancellationToken.None);
        var saved = await store.SaveVerificationAsync(second, CancellationToken.None);
        await store.SaveVerificationAsync(Report(RunId.New()), CancellationToken.None);

        var read = await store.GetVerificationAsync(second.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(Verdict.Diverged, read.Report.Verdict);
        Assert.Equal(saved.Digest, read.Digest);
        Assert.Equal(Repro.Blobs.Hashing.Sha256Hasher.HashBytes(System.Text.Encoding.UTF8.GetBytes(read.Json)), read.Digest);
        Assert.Equal([second.Id, first.Id], (await store.ListVerificationsAsync(run.Id, 0, CancellationToken.None)).Select(v => v.Report.Id));
        Assert.Equal(3, (await store.ListVerificationsAsync(null, 0, CancellationToken.None)).Count);
        Assert.Null(await store.GetVerificationAsync(RunId.New(), CancellationToken.None));
    }

    [Fact]
    public async Task Every_save_extends_one_intact_hash_chain()
    {
        using var dir = new TempDirectory();
        await using var store = await OpenAsync(dir);
        var run = Manifest("a");
        var saved = await store.SaveAsync(run, CancellationToken.None);
        var verdict = await store.SaveVerificationAsync(Report(run.Id), CancellationToken.None);
        await store.AppendAuditAsync("report", "report.html", new string('e', 64), DateTimeOffset.UtcNow, CancellationToken.None);

        var log = await store.ReadAuditAsync(CancellationToken.None);
        Assert.Equal([1L, 2, 3], log.Select(e => e.Seq));
        Assert.Equal(["run", "verdict", "report"], log.Select(e => e.Kind));
        Assert.Equal(saved.Digest, log[0].Digest);
        Assert.Equal(verdict.Digest, log[1].Digest);
        Assert.Equal(AuditChain.Genesis, log[0].Previous);
        Assert.Equal(log[0].Hash, log[1].Previous);
        Assert.Equal(log[1].Hash, log[2].Previous);

        var result = await AuditVerifier.VerifyAsync(store, CancellationToken.None);
        Assert.True(result.Intact, string.Join("; ", result.Problems.Select(p => p.Problem)));
        Assert.Equal(3, result.Entries);
        Assert.Equal(log[2].Hash, result.Head);
    }

    [Fact]
    public async Task Concurrent_writers_keep_the_audit_chain_intact()
    {
        using var dir = new TempDirectory();
        await using (await OpenAsync(dir))
        {
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var store = await OpenAsync(dir);
            for (var i = 0; i < 10; i++)
            {
                await store.SaveAsync(Manifest("parallel"), CancellationToken.None);
            }
        })));
        await using var reader = await OpenAsync(dir);
        var result = await AuditVerifier.VerifyAsync(reader, CancellationToken.None);
        Assert.True(result.Intact, string.Join("; ", result.Problems.Select(p => p.Problem)));
        Assert.Equal(40, result.Entries);
    }
}
