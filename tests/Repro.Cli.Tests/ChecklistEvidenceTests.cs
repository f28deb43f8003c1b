using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>`repro lint` and `repro leak` leave their results where `repro check` reads them.</summary>
public sealed class ChecklistEvidenceTests
{
    private static async Task<Dictionary<string, string>> ItemsAsync(Workdir dir)
    {
        var check = await dir.ReproAsync("check", "@last", "--json");
        Assert.True(check.Stdout.TrimStart().StartsWith('{'), check.ToString());
        return JsonDocument.Parse(check.Stdout).RootElement.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("status").GetString()!);
    }

    [Fact]
    public async Task Lint_and_leak_runs_become_checklist_evidence()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        dir.Write("train.py", "import json\njson.dump({'acc': 0.9}, open('metrics.json', 'w'))\n");
        dir.Write("train.csv", "id,x,y\n1,0.1,0\n2,0.2,1\n3,0.3,0\n4,0.4,1\n");
        dir.Write("test.csv", "id,x,y\n5,0.15,0\n6,0.25,1\n");
        Assert.Equal(0, (await dir.ReproAsync("run", "--seed", "1", "--metrics", "metrics.json", "--", "/usr/bin/python3", "train.py")).ExitCode);

        var before = await ItemsAsync(dir);
        Assert.Equal("no", before["lint"]);
        Assert.Equal("no", before["leakage"]);

        var lint = await dir.ReproAsync("lint", "train.py", "--python", "/usr/bin/python3");
        Assert.True(lint.ExitCode == 0, lint.ToString());
        var leak = await dir.ReproAsync("leak", "--train", "train.csv", "--test", "test.csv", "--target", "y", "--id", "id");
        Assert.True(leak.ExitCode == 0, leak.ToString());
        var saved = JsonDocument.Parse(File.ReadAllText(dir.Combine(".repro", "checks", "lint.json"))).RootElement;
        Assert.Equal(0, saved.GetProperty("findings").GetInt32());
        Assert.Equal("train.py", saved.GetProperty("checked")[0].GetString());

        var after = await ItemsAsync(dir);
        Assert.Equal("yes", after["lint"]);
        Assert.Equal("yes", after["leakage"]);
    }
}
