
namespace Repro.Tests.Tracking;

/// <summary>The metric history contract on a SQLite store in a temp folder.</summary>
public sealed class SqliteMetricHistoryTests : MetricHistoryContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<SqlDatabase> OpenDatabaseAsync() => SqlDatabase.OpenSqliteAsync(_dir.Combine("repro.db"), CancellationToken.None);

    public void Dispose() => _dir.Dispose();
}
