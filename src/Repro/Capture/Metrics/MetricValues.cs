using System.Globalization;

namespace Repro.Capture.Metrics;

/// <summary>Turns metric text into numbers the same way everywhere.</summary>
public static class MetricValues
{
    /// <summary>Parses invariant-culture numbers, plus true/false as 1/0 and NaN/Infinity; anything else is not a metric.</summary>
    public static bool TryParse(string text, out double value)
    {
        var trimmed = text.Trim();
        switch (trimmed.ToLowerInvariant())
        {
            case "true":
                value = 1;
                return true;
            case "false":
                value = 0;
                return true;
            case "nan" or ".nan":
                value = double.NaN;
                return true;
            case "inf" or "infinity" or ".inf" or "+inf" or "+infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity" or "-.inf":
                value = double.NegativeInfinity;
                return true;
        }

        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
