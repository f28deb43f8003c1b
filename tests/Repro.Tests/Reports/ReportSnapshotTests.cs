using System.Globalization;
using Repro.Evidence.Reports;
using Repro.Tests.Shared;

namespace Repro.Tests.Reports;

/// <summary>Reports are stable bytes: the approved snapshot under the invariant culture and under de-DE, whose decimal comma must not leak in.</summary>
public sealed class ReportSnapshotTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "run", "html" }, { "run", "md" }, { "run", "json" },
        { "study", "html" }, { "study", "md" },
        { "verification", "html" }, { "verification", "md" },
    };

    private static ReportData Data(string kind) => kind switch
    {
        "study" => ReportFixtures.StudyReport(),
        "verification" => ReportFixtures.VerificationReport(),
        _ => ReportFixtures.RunReport(),
    };

    private static string Render(string kind, string extension, string culture)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
            return ReportRenderer.Render(Data(kind), ReportRenderer.Choose(extension, null));
        }
        finally
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = previous;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Report_matches_its_snapshot_under_the_invariant_culture_and_de_DE(string kind, string extension)
    {
        // The other culture must really write decimal commas here, or the comparison proves nothing.
        Assert.Equal("1,5", 1.5.ToString(CultureInfo.GetCultureInfo("de-DE")));
        var invariant = Render(kind, extension, "");
        var german = Render(kind, extension, "de-DE");
        Assert.Equal(invariant, german);
        Snapshot.Match(Snapshot.ScrubCreationTime(invariant), $"{kind}-report", extension);
    }

    [Fact]
    public void The_same_records_give_the_same_bytes_apart_from_one_creation_time_line()
    {
        foreach (var format in new[] { ReportFormat.Html, ReportFormat.Markdown, ReportFormat.Json })
        {
            var first = ReportRenderer.Render(ReportFixtures.StudyReport(), format).Split('\n');
            var later = ReportRenderer.Render(ReportFixtures.StudyReport() with { CreatedAt = ReportFixtures.At.AddYears(1) }, format).Split('\n');
            Assert.Equal(first.Length, later.Length);
            Assert.Single(Enumerable.Range(0, first.Length), i => first[i] != later[i]);
        }
    }

    [Fact]
    public void An_HTML_report_is_self_contained()
    {
        var html = ReportRenderer.Render(ReportFixtures.StudyReport(), ReportFormat.Html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<svg class=\"chart\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verification_report_draws_the_deviation_of_each_metric_against_its_tolerance()
    {
        var html = ReportRenderer.Render(ReportFixtures.VerificationReport(), ReportFormat.Html);
        Assert.Contains("<rect class=\"bar bad\"", html, StringComparison.Ordinal);
        Assert.Contains("package versions differ: numpy 1.24.2 → 1.26.4", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"diverged\">DIVERGED</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_format_comes_from_the_flag_then_the_file_extension()
    {
        Assert.Equal(ReportFormat.Markdown, ReportRenderer.Choose(null, "appendix.md"));
        Assert.Equal(ReportFormat.Json, ReportRenderer.Choose(null, "r.json"));
        Assert.Equal(ReportFormat.Html, ReportRenderer.Choose(null, null));
        Assert.Equal(ReportFormat.Json, ReportRenderer.Choose("json", "r.html"));
        Assert.Throws<ReproException>(() => ReportRenderer.Choose("pdf", null));
    }
}
