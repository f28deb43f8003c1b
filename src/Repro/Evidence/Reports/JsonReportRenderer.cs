using Repro.Model.Serialization;

namespace Repro.Evidence.Reports;

/// <summary>The report's full data as indented canonical JSON (sorted keys, one member per line, so created_at is one line).</summary>
public static class JsonReportRenderer
{
    public static string Render(ReportData data) => System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(data, indented: true));
}
