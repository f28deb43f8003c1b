using System.Globalization;
using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>Running evidence over compared numbers: counts, out-of-tolerance, largest errors, examples.</summary>
internal sealed class NumericStats(Tolerance tolerance, int maxExamples)
{
    public Tolerance Tolerance => tolerance;

    public bool WantsExample => _examples.Count < maxExamples;

    private readonly List<string> _examples = [];

    public long Compared { get; private set; }

    public long Differing { get; private set; }

    public long OutOfTolerance { get; private set; }

    public long NanMismatches { get; private set; }

    public double MaxAbs { get; private set; }

    public double MaxRel { get; private set; }

    public long MaxUlp { get; private set; }

    public IReadOnlyList<string> Examples => _examples;

    public long OtherDifferences { get; private set; }

    /// <summary>Adds one pair; returns whether it is within tolerance.</summary>
    public bool Add(double original, double reproduced, string? where)
    {
        Compared++;
        if (original.Equals(reproduced))
        {
            return true;
        }

        Differing++;
        var within = tolerance.Within(original, reproduced);
        if (double.IsNaN(original) != double.IsNaN(reproduced))
        {
            NanMismatches++;
        }
        else if (!double.IsInfinity(original) && !double.IsInfinity(reproduced))
        {
            var abs = Math.Abs(reproduced - original);
            MaxAbs = Math.Max(MaxAbs, abs);
            if (original != 0)
            {
                MaxRel = Math.Max(MaxRel, abs / Math.Abs(original));
            }
        }

        if (!within)
        {
            OutOfTolerance++;
            Example(where is null ? null : string.Create(CultureInfo.InvariantCulture, $"{where}: {original:R} → {reproduced:R}"));
        }

        return within;
    }

    /// <summary>Adds a chunk's counters (arrays are compared chunk by chunk in tight loops).</summary>
    public void Merge(long compared, long differing, long outOfTolerance, long nanMismatches, double maxAbs, double maxRel, long maxUlp)
    {
        Compared += compared;
        Differing += differing;
        OutOfTolerance += outOfTolerance;
        NanMismatches += nanMismatches;
        MaxAbs = Math.Max(MaxAbs, maxAbs);
        MaxRel = Math.Max(MaxRel, maxRel);
        MaxUlp = Math.Max(MaxUlp, maxUlp);
    }

    public void AddUlp(long ulp) => MaxUlp = Math.Max(MaxUlp, ulp);

    /// <summary>A difference that no tolerance covers (a string, a structure, a flag).</summary>
    public void AddOther(string where)
    {
        OtherDifferences++;
        Example(where);
    }

    public void Example(string? text)
    {
        if (text is not null && _examples.Count < maxExamples)
        {
            _examples.Add(text);
        }
    }

    public Verdict Verdict => OtherDifferences > 0 || OutOfTolerance > 0 ? Verdict.Diverged : Differing > 0 ? Verdict.Equivalent : Verdict.Identical;

    public string Describe(string what)
    {
        if (Verdict == Verdict.Identical)
        {
            return string.Create(CultureInfo.InvariantCulture, $"same {what} ({Compared} numbers compared); the bytes differ only in formatting");
        }

        var parts = new List<string>();
        if (Differing > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Differing} of {Compared} numbers differ, {OutOfTolerance} outside tolerance ({tolerance}); max abs error {MaxAbs:G4}, max rel error {MaxRel:G4}"));
        }

        if (NanMismatches > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{NanMismatches} NaN mismatches"));
        }

        if (OtherDifferences > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{OtherDifferences} non-numeric differences"));
        }

        if (_examples.Count > 0)
        {
            parts.Add("first: " + string.Join("; ", _examples));
        }

        return string.Join("; ", parts);
    }

    public ComparisonResult Result(string comparer, string what) => new()
    {
        Verdict = Verdict,
        Comparer = comparer,
        Detail = Describe(what),
        MaxAbsError = Differing > 0 ? MaxAbs : 0,
        MaxRelError = Differing > 0 ? MaxRel : 0,
        MaxUlp = MaxUlp > 0 ? MaxUlp : null,
        Compared = Compared,
        OutOfTolerance = OutOfTolerance,
    };
}
