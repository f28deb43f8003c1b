using System.Text.RegularExpressions;

namespace Repro.Judging.Comparison;

/// <summary>
/// The built-in masks of volatile printed text, in the order they apply: paths first (they hold
/// digits), then dates and times, progress bars, rates and durations, addresses and process ids.
/// Modelled on what doctest's and nbval's output checkers let users ignore.
/// </summary>
public static partial class TextMasks
{
    private const string Units = "ns|us|µs|μs|ms|msec|msecs|s|sec|secs|seconds?|min|mins|minutes?|h|hrs?|hours?";
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
    private const int TimeoutMs = 250;
    private const string TempPathPattern = @"(?:/tmp|/var/tmp|/dev/shm|/private/var/folders|/var/folders)/[^\s'""():,;\]\[]+|\btmp[a-z0-9_]{8}\b";
    private const string WarningLocationPattern = @"[^\s'""]*(?:site-packages|dist-packages|/lib/python\d[\d.]*)/[^\s'"":]+\.py:\d+:";
    private const string DateTimePattern = @"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2}(?: \d{4})?\b|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b";
    private const string ProgressPattern = @"\[\d+:\d{2}(?::\d{2})?<(?:\d+:\d{2}(?::\d{2})?|\?)(?:, *[^\]]*)?\]|\b\d{1,3}%\|[^|]*\|";
    private const string RatePattern = @"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)? ?(?:it|its|samples?|examples?|batch(?:es)?|steps?|tokens?|images?|img|rows?|B|kB|KB|MB|GB|KiB|MiB|GiB)/s\b|(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)? ?s/it\b";
    private const string DurationPattern = @"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)? ?(?:" + Units + @")(?![\w/])";
    private const string AddressPattern = @"\b0x[0-9a-fA-F]{6,16}\b";
    private const string PidPattern = @"(?i)\b(?:pid|process id|process)[ =:#]*\d+\b";
    private const string CaptureCapPattern = @"\[repro: \d+ bytes omitted; cap \d+ bytes\]";

    /// <summary>Every built-in mask, applied in this order.</summary>
    public static IReadOnlyList<TextMask> BuiltIn { get; } =
    [
        Mask("temp-path", TempPathPattern, TempPathRegex()),
        Mask("warning-location", WarningLocationPattern, WarningLocationRegex()),
        Mask("datetime", DateTimePattern, DateTimeRegex()),
        Mask("progress", ProgressPattern, ProgressRegex()),
        Mask("rate", RatePattern, RateRegex()),
        Mask("duration", DurationPattern, DurationRegex()),
        Mask("address", AddressPattern, AddressRegex()),
        Mask("pid", PidPattern, PidRegex()),
        Mask("capture-cap", CaptureCapPattern, CaptureCapRegex()),
    ];

    /// <summary>
    /// The workspace's own folder and any scratch checkout of it under <paramref name="tempPath"/>
    /// (<c>verify-</c> and 12 hex digits, then the run's prefix in the repository): a re-run prints
    /// its scratch folder where the original printed the workspace.
    /// </summary>
    public static TextMask Workspace(string root, string tempPath, string? prefix)
    {
        var scratch = Regex.Escape(Path.Combine(tempPath, "verify-")) + "[0-9a-f]{12}" + (string.IsNullOrEmpty(prefix) ? string.Empty : $"(?:/{Regex.Escape(prefix.TrimEnd('/'))})?");
        var pattern = $"{scratch}|{Regex.Escape(root.TrimEnd('/'))}";
        return new TextMask { Name = "workspace-path", Pattern = pattern, Source = "built-in", Regex = new Regex(pattern, RegexOptions.CultureInvariant, TextMask.MatchTimeout) };
    }

    /// <summary>The workspace mask first (its paths hold digits and temp folders), then <paramref name="masks"/>.</summary>
    public static IReadOnlyList<TextMask> WithWorkspace(string root, string tempPath, string? prefix, IReadOnlyList<TextMask> masks) =>
        [Workspace(root, tempPath, prefix), .. masks];

    /// <summary>A user's mask from a settings file: refused with a clear message when the pattern is not a valid regular expression.</summary>
    public static TextMask User(string name, string pattern, string source)
    {
        if (pattern.Length == 0 || pattern.Length > 4096)
        {
            throw ReproException.Usage($"{source}: mask {name} must be a regular expression of 1 to 4096 characters");
        }

        try
        {
            // Linear-time matching where the pattern allows it (no look-arounds or back-references).
            Regex regex;
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TextMask.MatchTimeout);
            }
            catch (NotSupportedException)
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TextMask.MatchTimeout);
            }

            return new TextMask { Name = name, Pattern = pattern, Source = source, Regex = regex };
        }
        catch (ArgumentException ex)
        {
            throw ReproException.Usage($"{source}: mask {name} is not a valid regular expression: {ex.Message}");
        }
    }

    private static TextMask Mask(string name, string pattern, Regex regex) => new() { Name = name, Pattern = pattern, Source = "built-in", Regex = regex };

    [GeneratedRegex(TempPathPattern, Options, TimeoutMs)]
    private static partial Regex TempPathRegex();

    [GeneratedRegex(WarningLocationPattern, Options, TimeoutMs)]
    private static partial Regex WarningLocationRegex();

    [GeneratedRegex(DateTimePattern, Options, TimeoutMs)]
    private static partial Regex DateTimeRegex();

    [GeneratedRegex(ProgressPattern, Options, TimeoutMs)]
    private static partial Regex ProgressRegex();

    [GeneratedRegex(RatePattern, Options, TimeoutMs)]
    private static partial Regex RateRegex();

    [GeneratedRegex(DurationPattern, Options, TimeoutMs)]
    private static partial Regex DurationRegex();

    [GeneratedRegex(AddressPattern, Options, TimeoutMs)]
    private static partial Regex AddressRegex();

    [GeneratedRegex(PidPattern, Options, TimeoutMs)]
    private static partial Regex PidRegex();

    [GeneratedRegex(CaptureCapPattern, Options, TimeoutMs)]
    private static partial Regex CaptureCapRegex();
}
