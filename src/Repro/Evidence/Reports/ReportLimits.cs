using Repro.Model.Serialization;

namespace Repro.Evidence.Reports;

/// <summary>
/// How much repro reads of a report it is asked to check (<c>repro report verify</c>) and of a
/// key file: reports are read whole to find their signature. Documented in docs/limits.md.
/// </summary>
public static class ReportLimits
{
    /// <summary>Bytes in one report to verify (the HTML reports repro writes are well under a MiB per run).</summary>
    public const long DefaultMaxReportBytes = 64 << 20;

    /// <summary>Bytes in one PEM key file (a P-256 key is about 250).</summary>
    public const long DefaultMaxKeyBytes = 64 << 10;

    public static InputLimit MaxReportBytes => InputLimit.Of("REPORT_MAX_BYTES", DefaultMaxReportBytes, "bytes");

    public static InputLimit MaxKeyBytes => InputLimit.Of("KEY_MAX_BYTES", DefaultMaxKeyBytes, "bytes");
}
