using Repro.Blobs.Storage;
using Repro.Evidence.Reports;
using Repro.Model.Verdicts;
using Repro.Model.Workspaces;
using Repro.Recording;

namespace Repro.Tests.Reports;

public sealed class ReportBuilderTests
{
    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => ReportFixtures.At;
    }

    [Fact]
    public async Task A_run_a_study_and_a_verification_prefix_each_give_their_report_with_the_digests_they_cover()
    {
        using var dir = new TempDirectory();
        var workspace = Workspace.Init(dir.Path).Workspace;
        await using var store = await SqliteRunStore.OpenAsync(workspace.DatabasePath, CancellationToken.None);
        var builder = new ReportBuilder(store, new ContentCache(workspace.CachePath), workspace, new FixedTime(), "repro test");

        var run = await store.SaveAsync(RunStoreContract.Manifest("loans"), CancellationToken.None);
        var rerun = await store.SaveAsync(RunStoreContract.Manifest() with { Kind = "verification", ParentId = run.Manifest.Id }, CancellationToken.None);
        var verification = await store.SaveVerificationAsync(ReportFixtures.Verification() with { Id = RunId.New(), Run = run.Manifest.Id, ReproductionRuns = [rerun.Manifest.Id], Verdict = Verdict.Identical }, CancellationToken.None);

        var byName = await builder.BuildAsync("loans", CancellationToken.None);
        Assert.Equal("run", byName.Kind);
        Assert.Equal(run.Manifest.Id, byName.Subject);
        Assert.Single(byName.Verifications);
        Assert.Equal([("run", run.Digest), ("verdict", verification.Digest)], byName.Covered.Select(c => (c.Kind, c.Sha256)));
        Assert.Equal(ReportFixtures.At, byName.CreatedAt);
        Assert.NotNull(byName.Checklist);

        var byPrefix = await builder.BuildAsync(verification.Report.Id[..6], CancellationToken.None);
        Assert.Equal("verification", byPrefix.Kind);
        Assert.Equal(verification.Report.Id, byPrefix.Subject);
        Assert.Equal(run.Manifest.Id, byPrefix.Run.Id);
        Assert.Equal([verification.Digest, run.Digest, rerun.Digest], byPrefix.Covered.Select(c => c.Sha256));

        var unknown = await Assert.ThrowsAsync<ReproException>(() => builder.BuildAsync("abcdef12", CancellationToken.None));
        Assert.Equal(ExitCode.Usage, unknown.Code);
        Assert.Contains("unknown run, study or verification", unknown.Message, StringComparison.Ordinal);
    }
}
