
namespace Repro.Tests.Search;

public sealed class SqliteRunSearchTests : RunSearchContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<SqlDatabase> OpenDatabaseAsync() => SqlDatabase.OpenSqliteAsync(_dir.Combine("repro.db"), CancellationToken.None);

    public void Dispose() => _dir.Dispose();
}
