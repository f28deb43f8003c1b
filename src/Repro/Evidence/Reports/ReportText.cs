using System.Globalization;
using System.Text;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Evidence.Reports;

/// <summary>Text every report format shares, always in the invariant culture so no decimal comma leaks in.</summary>
internal static class ReportText
{
    public static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Num(double value) => double.IsNaN(value) ? "NaN" : value.ToString("G6", Invariant);

    public static string Num(double? value) => value is { } v ? Num(v) : "–";

    public static string Int(long value) => value.ToString(Invariant);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Invariant);

    public static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", Invariant);

    public static string Verdict(Verdict verdict) => verdict.ToString().ToUpperInvariant();

    public static string Bytes(long? bytes) => bytes is { } b ? string.Create(Invariant, $"{b:N0} B") : "–";

    public static string Seconds(double seconds) => string.Create(Invariant, $"{seconds:0.00} s");

    public static string Label(RunManifest run) => run.Name is null ? run.Id[..8] : $"{run.Name} ({run.Id[..8]})";

    public static string Command(RunManifest run) => string.Join(' ', run.Execution.Argv.Select(Quote));

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:{},@+%".Contains(c, StringComparison.Ordinal)) ? arg : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static string Seed(RunManifest run) => run.Study is { } study
        ? $"seeds {string.Join(", ", study.Seeds.Select(Int))}"
        : run.Seed is { } seed ? Int(seed) : "none set";

    public static string Code(CodeSnapshot code) => code.Kind == "git"
        ? $"git {code.Commit ?? "(no commit)"}{(code.Branch is null ? string.Empty : $" on {code.Branch}")}{(code.Dirty ? ", uncommitted changes" : ", clean")}"
        : string.Create(Invariant, $"not under version control: {code.FileCount ?? 0} files listed");

    public static string Os(EnvironmentSnapshot env) => env.Os is null ? "–" : $"{env.Os.Name} {env.Os.Version}".Trim();

    public static string Cpu(EnvironmentSnapshot env) => env.Cpu is null
        ? "–"
        : string.Create(Invariant, $"{env.Cpu.Model ?? "?"}, {env.Cpu.LogicalCores} logical cores ({env.Cpu.AvailableCores} available)");

    public static string Python(EnvironmentSnapshot env) => env.Python is null ? "–" : $"{env.Python.Implementation} {env.Python.Version} ({env.Python.Executable})".Trim();

    /// <summary>The deviation of a metric in units of its tolerance (1 = at the edge); null when it cannot be told.</summary>
    public static double? ToleranceRatio(Repro.Model.Verdicts.MetricJudgement metric)
    {
        if (metric.Original is not { } original || metric.Reproduced is not { } reproduced)
        {
            return null;
        }

        var allowed = metric.Atol + (metric.Rtol * Math.Abs(original));
        var deviation = Math.Abs(reproduced - original);
        return deviation == 0 ? 0 : allowed > 0 ? deviation / allowed : double.PositiveInfinity;
    }

    public static string Html(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    /// <summary>A Markdown table cell: pipes escaped, line breaks as spaces.</summary>
    public static string Cell(string? text) => string.IsNullOrEmpty(text) ? " " : text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}
