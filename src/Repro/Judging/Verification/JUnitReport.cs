using System.Globalization;
using System.Xml.Linq;
using Repro.Judging.Comparison;
using Repro.Model.Verdicts;

namespace Repro.Judging.Verification;

/// <summary>A verification as JUnit XML: one test case per output, metric and printed stream (and the exit code), for CI systems.</summary>
public static class JUnitReport
{
    public static string Render(VerificationReport report)
    {
        var cases = new List<XElement>
        {
            Case("execution", "exit code", report.Execution.Verdict, report.Execution.Detail),
        };
        cases.AddRange(report.Outputs.Select(o => Case("outputs", o.Path, o.Verdict, $"{o.Verdict.ToString().ToUpperInvariant()} ({o.Comparer}): {o.Detail}{(o.Tolerance is null ? string.Empty : $" [tolerance {o.Tolerance}]")}")));
        cases.AddRange(report.Metrics.Select(m => Case("metrics", m.Key, m.Verdict, string.Create(CultureInfo.InvariantCulture, $"{m.Verdict.ToString().ToUpperInvariant()}: original {m.Original:R}, reproduced {(m.Reproduced is { } r ? r.ToString("R", CultureInfo.InvariantCulture) : "missing")}, tolerance {m.Tolerance}"))));
        cases.AddRange(report.Printed.Where(p => p.OriginalBytes > 0 || p.ReproducedBytes > 0).Select(p => Case("printed", p.Stream, p.Verdict, $"{p.Verdict.ToString().ToUpperInvariant()} ({p.Comparer}): {p.Detail}{(p.Tolerance is null ? string.Empty : $" [tolerance {p.Tolerance}]")}")));
        if (report.Verdict == Verdict.Unverified)
        {
            // Nothing compared is not a pass: CI sees a failed case that says so.
            cases.Add(Case("verification", "compared", Verdict.Unverified, report.Summary));
        }

        var failures = cases.Count(c => c.Element("failure") is not null);
        var errors = cases.Count(c => c.Element("error") is not null);
        var suite = new XElement(
            "testsuite",
            new XAttribute("name", $"repro verify {report.Run}"),
            new XAttribute("tests", cases.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", errors),
            new XAttribute("timestamp", report.VerifiedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)),
            new XElement("properties",
                new XElement("property", new XAttribute("name", "verdict"), new XAttribute("value", report.Verdict.ToString().ToUpperInvariant())),
                new XElement("property", new XAttribute("name", "run_digest"), new XAttribute("value", report.RunDigest)),
                new XElement("property", new XAttribute("name", "tolerance"), new XAttribute("value", report.Tolerance))),
            cases,
            new XElement("system-out", report.Summary + "\n" + string.Join("\n", report.Causes.Select(c => $"cause [{c.Pillar.ToString().ToLowerInvariant()}] {c.Detail}"))));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString() + "\n";
    }

    private static XElement Case(string group, string name, Verdict verdict, string detail)
    {
        var element = new XElement("testcase", new XAttribute("classname", $"repro.verify.{group}"), new XAttribute("name", name));
        switch (verdict)
        {
            case Verdict.Diverged:
                element.Add(new XElement("failure", new XAttribute("type", "DIVERGED"), new XAttribute("message", detail), detail));
                break;
            case Verdict.Unverified:
                element.Add(new XElement("failure", new XAttribute("type", "UNVERIFIED"), new XAttribute("message", detail), detail));
                break;
            case Verdict.Failed:
                element.Add(new XElement("error", new XAttribute("type", "FAILED"), new XAttribute("message", detail), detail));
                break;
            default:
                element.Add(new XElement("system-out", detail));
                break;
        }

        return element;
    }
}
