using System.Text;
using Repro.Judging.Comparison;
using Repro.Model.Verdicts;

namespace Repro.Tests.Comparison;

public sealed class PrintedTextComparerTests
{
    private static readonly PrintedTextComparer Default = new(TextMasks.BuiltIn, Tolerance.Default);

    private static Task<PrintedComparison> CompareAsync(string a, string b, PrintedTextComparer? comparer = null) =>
        (comparer ?? Default).CompareAsync(new MemoryStream(Encoding.UTF8.GetBytes(a)), new MemoryStream(Encoding.UTF8.GetBytes(b)), CancellationToken.None);

    [Fact]
    public async Task A_different_number_outside_tolerance_diverges_and_shows_both_lines()
    {
        var result = await CompareAsync("0.4815162342\n", "0.9232385836\n");
        Assert.Equal(Verdict.Diverged, result.Verdict);
        var line = Assert.Single(result.Examples);
        Assert.Equal(1, line.Line);
        Assert.Equal("0.4815162342", line.Original);
        Assert.Equal("0.9232385836", line.Reproduced);
        Assert.Contains("first difference at line 1: \"0.4815162342\" → \"0.9232385836\"", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_number_moving_in_the_twelfth_digit_is_equivalent_with_its_error()
    {
        var result = await CompareAsync("score: 0.123456789012345\nend\n", "score: 0.123456789013345\nend\n");
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Equal(1, result.WithinToleranceLines);
        Assert.Equal(1e-12, result.MaxAbsError!.Value, 1e-15);
        Assert.Equal("within tolerance", Assert.Single(result.Examples).Judged);
    }

    [Fact]
    public async Task Text_around_numbers_is_compared_exactly()
    {
        Assert.Equal(Verdict.Diverged, (await CompareAsync("class A 0.5\n", "class B 0.5\n")).Verdict);
        Assert.Equal(Verdict.Diverged, (await CompareAsync("0.5 0.6\n", "0.5\n")).Verdict);
    }

    [Fact]
    public async Task A_metric_named_before_its_number_uses_that_metrics_tolerance()
    {
        var comparer = new PrintedTextComparer(TextMasks.BuiltIn, Tolerance.Exact, new Dictionary<string, Tolerance> { ["acc"] = new(0, 0.01) });
        Assert.Equal(Verdict.Equivalent, (await CompareAsync("acc: 0.91\n", "acc: 0.915\n", comparer)).Verdict);
        Assert.Equal(Verdict.Diverged, (await CompareAsync("loss: 0.91\n", "loss: 0.915\n", comparer)).Verdict);
        Assert.Equal(Verdict.Diverged, (await CompareAsync("acc: 0.91\n", "acc: 0.95\n", comparer)).Verdict);
    }

    [Theory]
    [InlineData("duration", "fit done in 0.23s", "fit done in 1.7s")]
    [InlineData("duration", "epoch took 12.3 ms", "epoch took 9.1 ms")]
    [InlineData("duration", "Training time: 3 seconds", "Training time: 4 seconds")]
    [InlineData("rate", "batch 10, 532.1 samples/s", "batch 10, 611.9 samples/s")]
    [InlineData("progress", "100%|##########| 50/50 [00:01<00:00, 41.20it/s]", "100%|##########| 50/50 [00:02<00:00, 24.93it/s]")]
    [InlineData("datetime", "2026-12-06 18:39:50,123 INFO start", "2026-12-07 09:01:02,456 INFO start")]
    [InlineData("datetime", "started Sun Dec  6 18:39:50 2026", "started Mon Dec  7 08:00:01 2026")]
    [InlineData("address", "<__main__.Net object at 0x7f3a2c1b9d30>", "<__main__.Net object at 0x7f11aa00be80>")]
    [InlineData("pid", "worker pid 4123 ready", "worker pid 4188 ready")]
    [InlineData("temp-path", "cached in /tmp/tmpa1b2c3d4/model.bin", "cached in /tmp/tmpzz9y8x7w/model.bin")]
    [InlineData("warning-location", "/usr/lib/python3/dist-packages/sklearn/base.py:1152: FutureWarning: x", "/opt/venv/lib/python3.11/site-packages/sklearn/base.py:1170: FutureWarning: x")]
    public async Task Volatile_text_is_masked_by_name_and_the_line_is_equivalent(string mask, string a, string b)
    {
        var result = await CompareAsync($"header\n{a}\nfooter\n", $"header\n{b}\nfooter\n");
        Assert.True(result.Verdict == Verdict.Equivalent, result.Detail);
        Assert.True(result.MasksApplied.ContainsKey(mask), $"{mask} not among {string.Join(", ", result.MasksApplied.Keys)}: {result.Detail}");
        Assert.Equal(1, result.MaskedLines);
        Assert.Contains(mask, result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_masked_duration_does_not_hide_a_changed_score_on_the_same_line()
    {
        var result = await CompareAsync("accuracy 0.93 in 0.2s\n", "accuracy 0.71 in 0.3s\n");
        Assert.Equal(Verdict.Diverged, result.Verdict);
    }

    [Fact]
    public async Task Progress_overwritten_with_carriage_returns_is_compared_as_shown_last()
    {
        var result = await CompareAsync("step 1\rstep 2\rdone 0.5\n", "step 1\rdone 0.5\n");
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Contains("shown last", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_extra_line_diverges_and_says_how_many_lines_each_printed()
    {
        var result = await CompareAsync("a\nb\n", "a\nb\nc\n");
        Assert.Equal(Verdict.Diverged, result.Verdict);
        Assert.Contains("the original printed 2 lines, the re-run 3 lines", result.Detail, StringComparison.Ordinal);
        var extra = Assert.Single(result.Examples);
        Assert.Null(extra.Original);
        Assert.Equal("c", extra.Reproduced);
    }

    [Fact]
    public async Task Only_line_endings_differing_is_equivalent_and_says_so()
    {
        var result = await CompareAsync("a\r\nb\r\n", "a\nb\n");
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Contains("line endings", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_users_mask_applies_and_a_bad_pattern_is_a_usage_error()
    {
        var masks = TextMasks.BuiltIn.Append(TextMasks.User("run-id", "id=[0-9a-f]+", "repro.yaml")).ToList();
        var result = await CompareAsync("run id=ab12 ok\n", "run id=ffee ok\n", new PrintedTextComparer(masks, Tolerance.Default));
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Equal(1, result.MasksApplied["run-id"]);

        var error = Assert.Throws<ReproException>(() => TextMasks.User("broken", "([a-z", "repro.yaml"));
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("mask broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_workspace_and_its_scratch_checkouts_are_the_same_path()
    {
        var masks = TextMasks.WithWorkspace("/home/ana/proj", "/home/ana/proj/.repro/tmp", null, TextMasks.BuiltIn);
        var result = await CompareAsync("saved /home/ana/proj/model.pkl\n", "saved /home/ana/proj/.repro/tmp/verify-0123456789ab/model.pkl\n", new PrintedTextComparer(masks, Tolerance.Default));
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.True(result.MasksApplied.ContainsKey("workspace-path"));
    }

    [Fact]
    public async Task A_line_longer_than_the_line_limit_is_read_in_pieces()
    {
        var a = new string('x', PrintedLineReader.MaxLineChars + 10) + "\n";
        var b = new string('x', PrintedLineReader.MaxLineChars) + new string('y', 10) + "\n";
        var result = await CompareAsync(a, b);
        Assert.Equal(Verdict.Diverged, result.Verdict);
        Assert.Equal(2, result.OriginalLines);
        Assert.Equal(2, Assert.Single(result.Examples).Line);
    }
}
