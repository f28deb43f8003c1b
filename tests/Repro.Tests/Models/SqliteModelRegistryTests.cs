
namespace Repro.Tests.Models;

public sealed class SqliteModelRegistryTests : ModelRegistryContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<SqlDatabase> OpenDatabaseAsync() => SqlDatabase.OpenSqliteAsync(_dir.Combine("repro.db"), CancellationToken.None);

    public void Dispose() => _dir.Dispose();
}
