namespace Repro.Platform.Statistics;

/// <summary>
/// Whether configuration B moved a metric relative to A across seeds, by a parametric test (Welch),
/// a rank test (Mann–Whitney) and effect sizes, with the caveats that small seed counts deserve.
/// Members a test cannot define for the data are null, never NaN or infinity.
/// </summary>
public sealed record TwoSampleComparison
{
    public required int NA { get; init; }

    public required int NB { get; init; }

    public required double MeanA { get; init; }

    public required double MeanB { get; init; }

    /// <summary>MeanB − MeanA, computed from the unrounded means (it can differ from the subtraction of the two rounded members by an ulp of the means).</summary>
    public required double Difference { get; init; }

    /// <summary>95% Welch interval of MeanB − MeanA (Welch–Satterthwaite df); null when the t-test is undefined.</summary>
    public Interval? DifferenceInterval { get; init; }

    /// <summary>Welch t of B against A, the sign of scipy.stats.ttest_ind(b, a, equal_var=False).</summary>
    public double? WelchT { get; init; }

    public double? WelchDf { get; init; }

    /// <summary>Two-sided.</summary>
    public double? WelchP { get; init; }

    /// <summary>U of B: pairs (b, a) with b &gt; a, ties counted half (scipy.stats.mannwhitneyu(b, a).statistic).</summary>
    public required double MannWhitneyU { get; init; }

    /// <summary>Two-sided.</summary>
    public required double MannWhitneyP { get; init; }

    /// <summary>"exact" (both sides ≤ 20 seeds, no ties) or "normal" (tie and continuity corrected).</summary>
    public required string MannWhitneyMethod { get; init; }

    /// <summary>U / (NA·NB): the chance a random B seed beats a random A seed, ties half.</summary>
    public required double ProbabilityBGreaterThanA { get; init; }

    /// <summary>(MeanB − MeanA) / pooled SD (n − 1 weights); null when the pooled SD is 0 or undefined.</summary>
    public double? CohensD { get; init; }

    /// <summary>
    /// Seeds per side for 80% power at α = 0.05 two-sided to detect the observed difference:
    /// 2·(z₀.₉₇₅ + z₀.₈)²·σ²/δ² ≈ 15.7·σ²/δ², σ² the mean of the two sample variances. Null when δ = 0,
    /// σ² = 0 or a variance is undefined.
    /// </summary>
    public double? RequiredNPerSide { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}
