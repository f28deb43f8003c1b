using System.Diagnostics;
using System.Globalization;

namespace Repro.Platform.Diagnostics;

/// <summary>
/// Where a command spends its time, phase by phase, for whoever tunes it: the CLI turns it on
/// with <c>REPRO_TIMINGS=1</c> and gives it stderr; otherwise every mark is one null check.
/// Times are milliseconds since the sink was set (the process start, near enough) and since the
/// previous mark.
/// </summary>
public static class PhaseTimings
{
    private static readonly Lock Gate = new();
    private static TextWriter? _sink;
    private static long _start;
    private static long _last;

    public static bool Enabled => _sink is not null;

    /// <summary>Starts timing into <paramref name="sink"/> (null stops it).</summary>
    public static void Start(TextWriter? sink)
    {
        lock (Gate)
        {
            _sink = sink;
            _start = _last = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Notes that <paramref name="phase"/> has just ended.</summary>
    public static void Mark(string phase)
    {
        if (_sink is null)
        {
            return;
        }

        lock (Gate)
        {
            var now = Stopwatch.GetTimestamp();
            _sink?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"repro: timings: {Stopwatch.GetElapsedTime(_start, now).TotalMilliseconds,8:0.0} ms  +{Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds,7:0.0} ms  {phase}"));
            _last = now;
        }
    }
}
