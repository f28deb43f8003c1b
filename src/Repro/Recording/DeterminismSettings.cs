using System.Globalization;

namespace Repro.Recording;

/// <summary>The variables <c>--seed</c> and <c>--deterministic</c> set for the child.</summary>
public static class DeterminismSettings
{
    public const string SeedPlaceholder = "{seed}";

    /// <summary>Thread-count variables pinned to 1 unless the user already set them.</summary>
    public static IReadOnlyList<string> ThreadVariables { get; } = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"];

    public static SortedDictionary<string, string> SeedVariables(long seed)
    {
        var text = seed.ToString(CultureInfo.InvariantCulture);
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["REPRO_SEED"] = text,
            ["PYTHONHASHSEED"] = text,
        };
    }

    /// <summary>What <c>--deterministic</c> sets, given the environment the child would inherit.</summary>
    public static SortedDictionary<string, string> ProfileVariables(IReadOnlyDictionary<string, string> inherited)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["CUBLAS_WORKSPACE_CONFIG"] = ":4096:8",
            ["TF_DETERMINISTIC_OPS"] = "1",
            ["TF_CUDNN_DETERMINISTIC"] = "1",
            ["MKL_CBWR"] = "COMPATIBLE",
        };
        foreach (var name in ThreadVariables)
        {
            result[name] = inherited.TryGetValue(name, out var value) && value.Length > 0 ? value : "1";
        }

        return result;
    }

    /// <summary>Replaces every {seed} in the arguments (or in declared paths: <paramref name="what"/> names them in the message).</summary>
    public static IReadOnlyList<string> Substitute(IReadOnlyList<string> argv, long? seed, string what = "the command")
    {
        if (argv.All(a => !a.Contains(SeedPlaceholder, StringComparison.Ordinal)))
        {
            return argv;
        }

        if (seed is null)
        {
            throw ReproException.Usage($"{what} uses {{seed}} but no --seed was given");
        }

        var text = seed.Value.ToString(CultureInfo.InvariantCulture);
        return argv.Select(a => a.Replace(SeedPlaceholder, text, StringComparison.Ordinal)).ToList();
    }
}
