using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Repro.Tests.Shared;

/// <summary>
/// Approved-output testing without a package: compares text against <c>NAME.verified.EXT</c> in a
/// <c>snapshots/</c> folder beside the test file; on a difference (or a first run) it writes
/// <c>NAME.received.EXT</c> beside it and fails. Approve by renaming received to verified.
/// </summary>
public static partial class Snapshot
{
    /// <summary>The creation-time line every report has, in each format.</summary>
    public static string ScrubCreationTime(string text)
    {
        text = MadeHtml().Replace(text, "<p class=\"made\">Report made <time datetime=\"{created}\">{created}</time></p>");
        text = MadeMarkdown().Replace(text, "Report made {created}");
        text = CreatedJson().Replace(text, "\"created_at\": \"{created}\"");
        return GeneratorVersion().Replace(text, "repro {version}");
    }

    public static void Match(string actual, string name, string extension, [CallerFilePath] string caller = "")
    {
        var folder = Path.Combine(Path.GetDirectoryName(caller)!, "snapshots");
        Directory.CreateDirectory(folder);
        var verified = Path.Combine(folder, $"{name}.verified.{extension}");
        var received = Path.Combine(folder, $"{name}.received.{extension}");
        actual = actual.ReplaceLineEndings("\n");
        if (File.Exists(verified))
        {
            var expected = File.ReadAllText(verified).ReplaceLineEndings("\n");
            if (expected == actual)
            {
                File.Delete(received);
                return;
            }

            File.WriteAllText(received, actual);
            var a = expected.Split('\n');
            var b = actual.Split('\n');
            var line = Enumerable.Range(0, Math.Min(a.Length, b.Length)).FirstOrDefault(i => a[i] != b[i], Math.Min(a.Length, b.Length));
            Assert.Fail($"{name}.{extension} differs from its snapshot at line {line + 1}:\n- {(line < a.Length ? a[line] : "(end)")}\n+ {(line < b.Length ? b[line] : "(end)")}\nreview {received} and rename it to .verified.{extension} to approve");
        }

        File.WriteAllText(received, actual);
        Assert.Fail($"new snapshot {received}: review it and rename it to {Path.GetFileName(verified)} to approve");
    }

    [GeneratedRegex("<p class=\"made\">Report made <time datetime=\"[^\"]*\">[^<]*</time></p>")]
    private static partial Regex MadeHtml();

    [GeneratedRegex("^Report made .*$", RegexOptions.Multiline)]
    private static partial Regex MadeMarkdown();

    [GeneratedRegex("\"created_at\": \"[^\"]*\"")]
    private static partial Regex CreatedJson();

    [GeneratedRegex(@"repro \d+\.\d+\.\d+[^\s""<|]*")]
    private static partial Regex GeneratorVersion();
}
