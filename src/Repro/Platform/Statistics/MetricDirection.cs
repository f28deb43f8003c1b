namespace Repro.Platform.Statistics;

/// <summary>
/// Whether a bigger value of a metric is better, guessed from its name when the user does not
/// say (<c>--higher-is-better</c> / <c>--lower-is-better</c>): losses, errors and times are lower-is-better.
/// </summary>
public static class MetricDirection
{
    private static readonly string[] LowerWords =
    [
        "loss", "error", "err", "rmse", "mse", "mae", "mape", "logloss", "perplexity", "brier", "time", "seconds", "latency", "wer", "cer", "fpr", "fnr", "regret", "cost", "distance",
    ];

    public static bool HigherIsBetter(string key, bool? given = null)
    {
        if (given is { } stated)
        {
            return stated;
        }

        var words = key.ToLowerInvariant().Split(['.', '_', '-', '/', ' '], StringSplitOptions.RemoveEmptyEntries);
        return !words.Any(w => LowerWords.Contains(w) || w.EndsWith("loss", StringComparison.Ordinal) || w.EndsWith("error", StringComparison.Ordinal));
    }
}
