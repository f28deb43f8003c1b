using Repro.Blobs.Storage;

namespace Repro.Server.Ui;

/// <summary>One page of the runs table, the token of the next page (null on the last), and how many runs the filter matches in all.</summary>
internal sealed record RunsTablePage(IReadOnlyList<RunSummary> Runs, string? Next, long? Total);
