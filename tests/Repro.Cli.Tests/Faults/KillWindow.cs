namespace Repro.Cli.Tests.Faults;

/// <summary>
/// Picks kill delays: first drawn at random (seeded) across the whole window, then, once each
/// outcome is known, between the latest kill that found nothing done and the earliest that
/// found everything done, so the later kills close in on the moment the work happens even when
/// that moment is a few milliseconds wide.
/// </summary>
public sealed class KillWindow
{
    private readonly Random _random;
    private readonly TimeSpan _from;
    private readonly TimeSpan _to;
    private TimeSpan _nothingDone;
    private TimeSpan _allDone;

    public KillWindow(Random random, TimeSpan from, TimeSpan to)
    {
        _random = random;
        (_from, _to) = (from, to);
        (_nothingDone, _allDone) = (from, to);
    }

    /// <summary>Kills that landed while the work was under way.</summary>
    public int Partial { get; private set; }

    public TimeSpan Next(int rep, int randomReps) =>
        rep < randomReps || _allDone <= _nothingDone ? Kill.Between(_random, _from, _to) : Kill.Between(_random, _nothingDone, _allDone);

    /// <summary>Records what a kill after <paramref name="delay"/> found: how far the work had got (0 nothing, 1 all of it).</summary>
    public void Record(TimeSpan delay, bool killed, double progress)
    {
        if (killed && progress > 0 && progress < 1)
        {
            Partial++;
        }
        else if (killed && progress <= 0 && delay > _nothingDone)
        {
            _nothingDone = delay;
        }
        else if ((!killed || progress >= 1) && delay < _allDone)
        {
            _allDone = delay;
        }
    }
}
