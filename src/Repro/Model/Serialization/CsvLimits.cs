namespace Repro.Model.Serialization;

/// <summary>
/// How much of a CSV or TSV file repro reads (metrics files, compared outputs, the splits
/// <c>repro leak</c> checks): one line, or one quoted field spanning lines, and the columns of a
/// row. Rows are streamed, so their number is not limited. Documented in docs/limits.md.
/// </summary>
public static class CsvLimits
{
    /// <summary>Characters in one line (one record, quoted newlines included).</summary>
    public const long DefaultMaxLineChars = 1 << 20;

    /// <summary>Columns in one row (Excel's limit is 16,384).</summary>
    public const long DefaultMaxColumns = 16_384;

    /// <summary>Bytes in a metrics CSV, which is read whole; outputs and splits are streamed.</summary>
    public const long DefaultMaxMetricsBytes = 64 << 20;

    public static InputLimit MaxLineChars => InputLimit.Of("CSV_MAX_LINE_CHARS", DefaultMaxLineChars, "characters in a line");

    public static InputLimit MaxColumns => InputLimit.Of("CSV_MAX_COLUMNS", DefaultMaxColumns, "columns");

    public static InputLimit MaxMetricsBytes => InputLimit.Of("CSV_MAX_METRICS_BYTES", DefaultMaxMetricsBytes, "bytes");
}
