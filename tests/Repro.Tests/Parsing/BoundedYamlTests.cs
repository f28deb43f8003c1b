using System.Diagnostics;
using System.Text;
using Repro.Capture.Metrics;
using Repro.Model.Serialization;

namespace Repro.Tests.Parsing;

public sealed class BoundedYamlTests
{
    /// <summary>Under 1 KB: each list repeats the previous one nine times (9^10 scalars once expanded).</summary>
    private static string AliasBomb()
    {
        var text = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'k'; level++)
        {
            var previous = (char)(level - 1);
            text.Append(level).Append(": &").Append(level).Append(" [").Append(string.Join(",", Enumerable.Repeat($"*{previous}", 9))).Append("]\n");
        }

        return text.ToString();
    }

    [Fact]
    public void An_alias_bomb_is_refused_quickly_with_a_message_naming_the_limit()
    {
        var bomb = AliasBomb();
        Assert.True(bomb.Length < 1024);
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<FormatException>(() => StructuredFile.FlattenYaml(bomb, "bomb.yaml"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
        Assert.Contains("bomb.yaml", error.Message, StringComparison.Ordinal);
        Assert.Contains("1000000 nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_that_stay_small_are_still_read()
    {
        var flat = StructuredFile.FlattenYaml("base: &base {lr: 0.1, depth: 3}\nrun: *base\n", "params.yaml");
        Assert.Contains(new KeyValuePair<string, string>("run.lr", "0.1"), flat);
    }

    [Fact]
    public void Nesting_past_the_depth_limit_and_an_oversized_file_are_refused()
    {
        var deep = new string('[', YamlLimits.MaxDepth + 1) + new string(']', YamlLimits.MaxDepth + 1);
        Assert.Contains("nested deeper than 256", Assert.Throws<FormatException>(() => StructuredFile.FlattenYaml(deep, "deep.yaml")).Message, StringComparison.Ordinal);
        Assert.Throws<YamlLimitException>(() => BoundedYaml.Check(new string('#', YamlLimits.MaxChars + 1)));
    }
}
