using System.Globalization;

namespace Repro.Platform.Statistics;

/// <summary>
/// Places a claimed value among seed results. A placement is a finding, not an accusation, so it is
/// returned as data with a sentence; only unusable input throws.
/// </summary>
public static class ClaimCheck
{
    /// <summary>
    /// Places <paramref name="claim"/> among <paramref name="values"/>; <paramref name="summary"/> must
    /// be <see cref="Descriptive.Summarise"/> of the same values (its t-interval is used).
    /// </summary>
    public static ClaimPlacement Place(IReadOnlyList<double> values, double claim, bool higherIsBetter, SampleSummary summary)
    {
        var sorted = SampleMoments.Checked(values, nameof(values));
        ArgumentNullException.ThrowIfNull(summary);
        if (!double.IsFinite(claim))
        {
            throw new ArgumentException(FormattableString.Invariant($"the claim is {claim}; only a finite number can be placed"), nameof(claim));
        }

        if (summary.N != sorted.Length)
        {
            throw new ArgumentException(FormattableString.Invariant($"the summary describes {summary.N} values but {sorted.Length} were given"), nameof(summary));
        }

        Array.Sort(sorted);
        var n = sorted.Length;
        var below = 0;
        var ties = 0;
        foreach (var v in sorted)
        {
            if (v < claim)
            {
                below++;
            }
            else if (v == claim)
            {
                ties++;
            }
        }

        var above = n - below - ties;
        var worse = higherIsBetter ? below : above;
        var better = higherIsBetter ? above : below;

        // percentileofscore(kind='mean') is (count(<) + count(<=)) · 50 / n; the mirror for lower-is-better
        // counts the seeds above the claim instead, which is the same share of seeds beaten.
        var percentile = ((2 * worse) + ties) * (50.0 / n);
        var beyondP95 = higherIsBetter
            ? claim > Descriptive.QuantileOfSorted(sorted, 0.95)
            : claim < Descriptive.QuantileOfSorted(sorted, 0.05);
        var interval = summary.TInterval;
        var outsideT = interval is not null && (higherIsBetter ? claim > interval.High : claim < interval.Low);
        var cherryPick = beyondP95 || outsideT;

        return new ClaimPlacement
        {
            Claim = claim,
            N = n,
            Worse = worse,
            Ties = ties,
            Better = better,
            Percentile = percentile,
            BeyondP95 = beyondP95,
            OutsideTInterval = outsideT,
            LikelyCherryPick = cherryPick,
            Message = Describe(claim, n, worse, ties, percentile, beyondP95, outsideT, interval, higherIsBetter),
        };
    }

    private static string Describe(double claim, int n, int worse, int ties, double percentile, bool beyondP95, bool outsideT, Interval? interval, bool higherIsBetter)
    {
        var c = CultureInfo.InvariantCulture;
        var value = claim.ToString(c);
        var rank = Ordinal(percentile) + " percentile";
        if (!beyondP95 && !outsideT)
        {
            return string.Create(c, $"the claimed value {value} lies within the seed distribution ({rank})");
        }

        var where = outsideT
            ? string.Create(c, $"outside the 95% t-interval [{interval!.Low:G4}, {interval.High:G4}]")
            : higherIsBetter ? "beyond the seeds' 95th percentile" : "beyond the seeds' 5th percentile";
        return ties > 0
            ? string.Create(c, $"the claimed value {value} is better than {worse} of {n} seeds and equal to {ties} ({rank}), {where}: a likely cherry-pick")
            : string.Create(c, $"the claimed value {value} is better than {worse} of {n} seeds ({rank}) and {where}: a likely cherry-pick");
    }

    /// <summary>"97.5th", "55th", "1st", "22nd", "13th": percentiles read better as ordinals.</summary>
    internal static string Ordinal(double percentile)
    {
        var rounded = Math.Round(percentile, 1);
        var text = rounded.ToString("0.#", CultureInfo.InvariantCulture);
        if (rounded != Math.Floor(rounded))
        {
            return text + "th";
        }

        var whole = (int)rounded;
        var suffix = (whole % 100) is 11 or 12 or 13 ? "th" : (whole % 10) switch
        {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        };
        return text + suffix;
    }
}
