using Repro.Checks.Checklist;
using Repro.Model;
using Repro.Model.Verdicts;

namespace Repro.Evidence.Reports;

/// <summary>
/// Everything one report shows, gathered from the store once so every format renders the same
/// content; the JSON form of a report is this record.
/// </summary>
public sealed record ReportData
{
    public int SchemaVersion { get; init; } = 1;

    /// <summary>"run", "study" or "verification".</summary>
    public required string Kind { get; init; }

    /// <summary>The id of what the report is about (a run, a study or a verification).</summary>
    public required string Subject { get; init; }

    public required string Title { get; init; }

    /// <summary>The run whose pillars the report shows: the run itself, the study, or the verified run.</summary>
    public required RunManifest Run { get; init; }

    /// <summary>For a verification report: the verification.</summary>
    public VerificationReport? Verification { get; init; }

    /// <summary>For a run report: its stored verifications, newest first.</summary>
    public IReadOnlyList<VerificationReport> Verifications { get; init; } = [];

    /// <summary>Every stored record the report covers, with the SHA-256 of its stored bytes.</summary>
    public required IReadOnlyList<CoveredRecord> Covered { get; init; }

    public ChecklistResult? Checklist { get; init; }

    /// <summary>"repro 0.1.0": what made the report.</summary>
    public required string Generator { get; init; }

    /// <summary>The only part of a report that changes when it is made again from the same records.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
