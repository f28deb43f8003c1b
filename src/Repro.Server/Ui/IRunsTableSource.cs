namespace Repro.Server.Ui;

/// <summary>Where the runs page gets one page of runs: filtered, sorted and paged by the database, never in memory.</summary>
internal interface IRunsTableSource
{
    /// <summary>Throws <see cref="RunsFilterException"/> for a filter it cannot read.</summary>
    Task<RunsTablePage> QueryAsync(RunsTableQuery query, CancellationToken cancellationToken);
}
