using Repro.Storage.Sql;

namespace Repro.Tests.Shared;

/// <summary>
/// The tests' throw-away PostgreSQL server (a <see cref="PostgresProcess"/>), started once per
/// test run for the classes of <see cref="PostgresGroup"/> and stopped by its process id when
/// the run ends. No PostgreSQL installed is a failure, not a skip: scripts/setup installs it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string User = PostgresProcess.User;

    public const string Host = PostgresProcess.Host;

    private PostgresProcess? _process;

    private PostgresProcess Process => _process ?? throw new InvalidOperationException("the PostgreSQL server is not started");

    public int Port => Process.Port;

    /// <inheritdoc cref="PostgresProcess.Password"/>
    public string Password => Process.Password;

    /// <summary>A password-less store URL for <paramref name="database"/>.</summary>
    public string Url(string database) => Process.Url(database);

    /// <summary>The variables a child <c>repro</c> needs to log in.</summary>
    public IReadOnlyDictionary<string, string?> Variables => Process.Variables;

    public string ConnectionString(string database) => Process.ConnectionString(database);

    public async Task InitializeAsync() => _process = await PostgresProcess.StartAsync();

    /// <inheritdoc cref="PostgresProcess.CreateDatabaseAsync"/>
    public Task<string> CreateDatabaseAsync(string? icuLocale = null) => Process.CreateDatabaseAsync(icuLocale);

    /// <inheritdoc cref="PostgresProcess.OpenAsync"/>
    public Task<SqlDatabase> OpenAsync(string database) => Process.OpenAsync(database);

    /// <inheritdoc cref="PostgresProcess.ExecuteAsync"/>
    public Task<object?> ExecuteAsync(string database, string sql) => Process.ExecuteAsync(database, sql);

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
