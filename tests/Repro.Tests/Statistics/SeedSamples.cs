namespace Repro.Tests.Statistics;

/// <summary>Samples shared by the statistics tests; every expected number for them comes from SciPy/NumPy.</summary>
internal static class SeedSamples
{
    /// <summary>20 accuracies: numpy 1.24.2, np.round(np.random.default_rng(7).normal(0.908, 0.006, 20), 4).</summary>
    public static readonly double[] Accuracy20 =
    [
        0.908, 0.9098, 0.9064, 0.9027, 0.9053, 0.9021, 0.9084, 0.916, 0.905, 0.9043,
        0.9109, 0.9101, 0.9086, 0.9024, 0.9078, 0.9122, 0.8999, 0.9053, 0.8966, 0.9003,
    ];

    /// <summary>30 values: the next draws of the same generator, np.round(rng.normal(0.5, 0.1, 30), 4).</summary>
    public static readonly double[] Values30 =
    [
        0.3158, 0.4765, 0.3733, 0.5271, 0.5157, 0.4813, 0.2483, 0.4461, 0.4951, 0.5113,
        0.347, 0.4522, 0.4021, 0.4191, 0.6061, 0.4192, 0.4967, 0.5884, 0.4416, 0.4888,
        0.511, 0.5064, 0.3775, 0.5076, 0.6359, 0.3453, 0.5859, 0.5119, 0.4359, 0.7,
    ];

    public static readonly double[] Negative = [-1.5, -2.25, 0.75, -0.5, 3.125, -4.0];

    /// <summary>1e9 plus millimetre noise: the textbook one-pass variance loses every digit here.</summary>
    public static readonly double[] LargeOffset =
    [
        1e9 + 0.00123, 1e9 - 0.00456, 1e9 + 0.00789, 1e9 + 0.00012, 1e9 - 0.00345, 1e9 + 0.00678, 1e9 - 0.00901,
    ];
}
