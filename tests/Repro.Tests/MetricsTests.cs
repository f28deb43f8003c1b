using Repro.Capture.Metrics;

namespace Repro.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void Nested_JSON_is_flattened_with_dots_and_only_numbers_are_kept()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("m.json", """{"acc": 0.925, "val": {"loss": 0.31, "f1": [0.5, 0.7]}, "model": "rf", "converged": true}""");
        var (values, steps) = MetricsReader.ReadFile(path);
        Assert.Equal(0.925, values["acc"]);
        Assert.Equal(0.31, values["val.loss"]);
        Assert.Equal(0.7, values["val.f1.1"]);
        Assert.Equal(1, values["converged"]);
        Assert.False(values.ContainsKey("model"));
        Assert.Empty(steps);
    }

    [Fact]
    public void YAML_metrics_are_read()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("m.yaml", "acc: 0.9\nnested:\n  auc: 0.95\n  n: 10\n");
        var (values, _) = MetricsReader.ReadFile(path);
        Assert.Equal(0.9, values["acc"]);
        Assert.Equal(0.95, values["nested.auc"]);
        Assert.Equal(10, values["nested.n"]);
    }

    [Fact]
    public void A_one_row_CSV_gives_one_value_per_column()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("m.csv", "acc,auc,name\n0.91,0.97,\"rf, tuned\"\n");
        var (values, steps) = MetricsReader.ReadFile(path);
        Assert.Equal(0.91, values["acc"]);
        Assert.Equal(0.97, values["auc"]);
        Assert.Equal(2, values.Count);
        Assert.Empty(steps);
    }

    [Fact]
    public void A_CSV_with_several_rows_gives_histories_keyed_by_the_step_column()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("m.csv", "epoch,loss,acc\n1,0.9,0.5\n2,0.5,0.7\n3,0.3,0.8\n");
        var (values, steps) = MetricsReader.ReadFile(path);
        Assert.Equal(0.3, values["loss"]);
        Assert.Equal([1L, 2L, 3L], steps["loss"].Select(s => s.Step));
        Assert.False(values.ContainsKey("epoch"));
    }

    [Theory]
    [InlineData("m.json", "{\"acc\": 0.9,,}", "malformed JSON")]
    [InlineData("m.yaml", "acc: [0.9\nb: {", "malformed YAML")]
    [InlineData("m.csv", "a,b\n1,2,3\n", "has 3 fields")]
    [InlineData("m.csv", "a,b\n\"1,2\n", "unterminated quote")]
    public void Malformed_files_raise_a_format_error_naming_the_problem(string name, string content, string expected)
    {
        using var dir = new TempDirectory();
        var path = dir.Write(name, content);
        var error = Assert.Throws<FormatException>(() => MetricsReader.ReadFile(path));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_step_log_keeps_steps_and_skips_bad_lines_with_a_warning()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("steps.jsonl", """
            {"key": "loss", "value": 0.9, "step": 0}
            {"key": "loss", "value": 0.5, "step": 1}
            not json
            {"key": "loss", "value": 0.25}
            {"key": "acc", "value": "0.8", "step": 5}
            """);
        var (steps, warnings) = MetricsReader.ReadStepLog(path);
        Assert.Equal([0L, 1L, 2L], steps["loss"].Select(s => s.Step));
        Assert.Equal(0.25, steps["loss"][^1].Value);
        Assert.Equal(0.8, steps["acc"][0].Value);
        Assert.Single(warnings);
        Assert.Contains("line 3", warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Params_files_flatten_every_value_as_text()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("params.yaml", "train:\n  lr: 0.1\n  layers: [64, 32]\n  name: rf\n  dropout: ~\n");
        var flat = StructuredFile.Flatten(path).ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("0.1", flat["train.lr"]);
        Assert.Equal("32", flat["train.layers.1"]);
        Assert.Equal("rf", flat["train.name"]);
        Assert.Equal("null", flat["train.dropout"]);
    }
}
