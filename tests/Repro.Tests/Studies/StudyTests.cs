using Repro.Blobs.Storage;
using Repro.Judging.Studies;
using Repro.Judging.Verification;
using Repro.Model;
using Repro.Platform.Statistics;

namespace Repro.Tests.Studies;

public sealed class StudyTests
{
    private static StoredRun Study(string name, params double[] acc)
    {
        var children = acc.Select((v, i) => new StudyChild
        {
            RunId = Repro.Recording.RunId.New(),
            Seed = i + 1,
            Status = double.IsNaN(v) ? RunStatus.Failed : RunStatus.Ok,
            ExitCode = double.IsNaN(v) ? 1 : 0,
            Metrics = double.IsNaN(v) ? new Dictionary<string, double>() : new Dictionary<string, double> { ["acc"] = v },
        }).ToList();
        var ok = acc.Where(v => !double.IsNaN(v)).ToList();
        var manifest = RunStoreContract.Manifest(name) with
        {
            Kind = "study",
            Seed = null,
            Study = new StudyRecord
            {
                Seeds = children.Select(c => c.Seed).ToList(),
                Mode = "in-place",
                Children = children,
                Statistics = new Dictionary<string, SampleSummary> { ["acc"] = Descriptive.Summarise(ok) },
                Bootstrap = StudyRunner.BootstrapDescription,
            },
        };
        return new StoredRun(manifest, "{}", new string('a', 64));
    }

    [Fact]
    public void Seeds_count_from_one_or_from_a_start_or_come_as_a_list()
    {
        Assert.Equal([1L, 2, 3], SeedList.Build(3, null, null));
        Assert.Equal([10L, 11], SeedList.Build(2, null, 10));
        Assert.Equal([7L, 1, 42], SeedList.Build(null, "7, 1,42", null));
        Assert.Equal([7L, 1], SeedList.Build(2, "7,1", null));
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(0, null, null)]
    [InlineData(null, "1,1", null)]
    [InlineData(null, "1,x", null)]
    [InlineData(null, "-3", null)]
    [InlineData(3, "1,2", null)]
    [InlineData(null, "1,2", 5L)]
    [InlineData(2, null, -1L)]
    public void Bad_seed_lists_are_usage_errors(int? count, string? list, long? start)
    {
        var error = Assert.Throws<ReproException>(() => SeedList.Build(count, list, start));
        Assert.Equal(ExitCode.Usage, error.Code);
    }

    [Theory]
    [InlineData("acc", true)]
    [InlineData("f1_macro", true)]
    [InlineData("val_loss", false)]
    [InlineData("test.rmse", false)]
    [InlineData("logloss", false)]
    [InlineData("error_rate", false)]
    [InlineData("train_seconds", false)]
    [InlineData("auc", true)]
    public void Metric_direction_is_guessed_from_the_name(string key, bool higher) =>
        Assert.Equal(higher, MetricDirection.HigherIsBetter(key));

    [Fact]
    public void A_stated_direction_wins_over_the_name() =>
        Assert.True(MetricDirection.HigherIsBetter("loss", given: true));

    [Fact]
    public void B_is_better_only_with_p_below_005_and_a_probability_of_at_least_075()
    {
        var a = Study("a", 0.80, 0.81, 0.79, 0.80, 0.82, 0.78);
        var b = Study("b", 0.85, 0.86, 0.84, 0.87, 0.85, 0.86);
        var better = StudyComparer.Compare(a, b, "acc", null).Metrics.Single();
        Assert.Equal("b_better", better.Outcome);
        Assert.StartsWith("B is better than A", better.Conclusion, StringComparison.Ordinal);

        // The same numbers where lower is better: A wins.
        var lower = StudyComparer.Compare(a, b, "acc", higherIsBetter: false).Metrics.Single();
        Assert.Equal("a_better", lower.Outcome);
        Assert.Equal(1 - better.ProbabilityBBetter, lower.ProbabilityBBetter, 12);

        // p < 0.05 is not enough when seeds of B beat seeds of A no more than 3 times in 4.
        var test = better.Test with { WelchP = 0.01, ProbabilityBGreaterThanA = 0.7 };
        var weak = StudyComparer.Conclude("acc", true, better.A, better.B, test);
        Assert.Equal("no_evidence", weak.Outcome);
    }

    [Fact]
    public void No_evidence_names_the_seeds_a_t_test_would_need()
    {
        var a = Study("a", 0.80, 0.82, 0.78, 0.81, 0.79);
        var b = Study("b", 0.81, 0.79, 0.82, 0.80, 0.80);
        var same = StudyComparer.Compare(a, b, null, null).Metrics.Single();
        Assert.Equal("no_evidence", same.Outcome);
        Assert.Contains("no evidence that B differs from A at this sample size", same.Conclusion, StringComparison.Ordinal);
        Assert.NotNull(same.Test.RequiredNPerSide);
        Assert.Contains("seeds per side", same.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_spread_on_both_sides_is_reported_not_divided_by()
    {
        var a = Study("a", 0.8, 0.8, 0.8, 0.8);
        var b = Study("b", 0.9, 0.9, 0.9, 0.9);
        var m = StudyComparer.Compare(a, b, "acc", null).Metrics.Single();
        Assert.Null(m.Test.WelchP);
        Assert.Equal("b_better", m.Outcome);
        Assert.Contains("no spread", m.Conclusion, StringComparison.Ordinal);

        var tie = StudyComparer.Compare(a, Study("c", 0.8, 0.8), "acc", null).Metrics.Single();
        Assert.Equal("no_evidence", tie.Outcome);
    }

    [Fact]
    public void Failed_seeds_are_left_out_of_a_comparison()
    {
        var a = Study("a", 0.80, double.NaN, 0.79, 0.81);
        Assert.Equal([0.80, 0.79, 0.81], StudyComparer.Values(a.Manifest.Study!)["acc"]);
    }

    [Fact]
    public void Comparing_a_plain_run_or_an_unknown_metric_is_a_usage_error()
    {
        var study = Study("a", 0.8, 0.9);
        var run = new StoredRun(RunStoreContract.Manifest("plain"), "{}", new string('b', 64));
        Assert.Contains("not a study", Assert.Throws<ReproException>(() => StudyComparer.Compare(run, study, null, null)).Message, StringComparison.Ordinal);
        Assert.Contains("no metric f1", Assert.Throws<ReproException>(() => StudyComparer.Compare(study, Study("b", 0.7, 0.8), "f1", null)).Message, StringComparison.Ordinal);
        Assert.Contains("same study", Assert.Throws<ReproException>(() => StudyComparer.Compare(study, study, null, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_study_gives_each_metric_a_tolerance_of_k_sigma()
    {
        var study = Study("s", 0.80, 0.82, 0.84).Manifest;
        var sigma = study.Study!.Statistics["acc"].StdDev!.Value;
        var tolerance = StudyTolerance.From(study, 3);
        Assert.Equal(3 * sigma, tolerance.Metrics["acc"].Atol, 15);
        Assert.Equal(0, tolerance.Metrics["acc"].Rtol);
        Assert.Contains("k=3", tolerance.Label, StringComparison.Ordinal);

        var single = StudyTolerance.From(Study("one", 0.8).Manifest, 2);
        Assert.Empty(single.Metrics);
        Assert.Contains("no spread", single.Notes.Single(), StringComparison.Ordinal);

        Assert.Throws<ReproException>(() => StudyTolerance.From(study, 0));
        Assert.Throws<ReproException>(() => StudyTolerance.From(RunStoreContract.Manifest("plain"), 2));
    }

    [Fact]
    public void Study_tolerances_sit_between_repro_yaml_and_flags()
    {
        using var dir = new TempDirectory();
        var study = StudyTolerance.From(Study("s", 0.80, 0.82, 0.84).Manifest, 2);
        var fromStudy = VerifySettings.Build(dir.Path, 1, false, null, null, [], null, study);
        Assert.Equal(study.Metrics["acc"], fromStudy.MetricTolerances["acc"]);
        Assert.Equal($"defaults < {study.Label}", fromStudy.ToleranceSource);

        var flagged = VerifySettings.Build(dir.Path, 1, false, null, null, ["acc=0.5"], null, study);
        Assert.Equal(0.5, flagged.MetricTolerances["acc"].Atol);
        Assert.Equal($"defaults < {study.Label} < flags", flagged.ToleranceSource);
    }

    [Fact]
    public async Task A_study_survives_the_run_store_byte_for_byte()
    {
        using var dir = new TempDirectory();
        await using var store = await SqliteRunStore.OpenAsync(dir.Combine("repro.db"), CancellationToken.None);
        var study = Study("s", 0.80, 0.82, double.NaN, 0.84).Manifest;
        var saved = await store.SaveAsync(study, CancellationToken.None);
        var read = await store.GetAsync(study.Id, CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(saved.Digest, read.Digest);
        Assert.Equal(read.Json, System.Text.Encoding.UTF8.GetString(Repro.Model.Serialization.CanonicalJson.Serialize(read.Manifest)));
        var before = study.Study!.Statistics["acc"];
        var after = read.Manifest.Study!.Statistics["acc"];
        Assert.Equal((before.N, before.Mean, before.StdDev, before.TInterval, before.BootstrapInterval), (after.N, after.Mean, after.StdDev, after.TInterval, after.BootstrapInterval));
        Assert.Equal(before.Notes, after.Notes);
        Assert.Equal(4, read.Manifest.Study.Children.Count);

        // A plain run's manifest carries no study field at all.
        Assert.DoesNotContain("\"study\"", System.Text.Encoding.UTF8.GetString(Repro.Model.Serialization.CanonicalJson.Serialize(RunStoreContract.Manifest("plain"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_means_the_plain_run_for_most_commands_and_the_study_for_study_commands()
    {
        using var dir = new TempDirectory();
        await using var store = await SqliteRunStore.OpenAsync(dir.Combine("repro.db"), CancellationToken.None);
        var run = RunStoreContract.Manifest("baseline", created: DateTimeOffset.UtcNow.AddMinutes(-1));
        var study = Study("baseline", 0.8, 0.9).Manifest with { CreatedAt = DateTimeOffset.UtcNow };
        await store.SaveAsync(run, CancellationToken.None);
        await store.SaveAsync(study, CancellationToken.None);
        Assert.Equal(run.Id, await Repro.Recording.RunResolver.ResolveAsync(store, "baseline", CancellationToken.None));
        Assert.Equal(study.Id, (await StudyResolver.ResolveAsync(store, "baseline", CancellationToken.None)).Manifest.Id);

        var onlyStudy = Study("lonely", 0.8, 0.9).Manifest;
        await store.SaveAsync(onlyStudy, CancellationToken.None);
        Assert.Equal(onlyStudy.Id, await Repro.Recording.RunResolver.ResolveAsync(store, "lonely", CancellationToken.None));
    }
}
