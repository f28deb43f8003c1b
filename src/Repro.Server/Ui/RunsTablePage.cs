using Repro.Storage;

namespace Repro.Server.Ui;

/// <summary>One page of the runs table, whether more follow, and how many runs the filter matches in all (when known).</summary>
internal sealed record RunsTablePage(IReadOnlyList<RunSummary> Runs, bool HasMore, long? Total);
