namespace Repro.Evidence.Reports;

/// <summary>A titled part of a report ("Summary", "Code", "Checklist"…) with an anchor id.</summary>
public sealed record ReportSection(string Id, string Title, IReadOnlyList<ReportBlock> Blocks);
