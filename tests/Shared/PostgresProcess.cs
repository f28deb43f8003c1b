using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Repro.Storage.Sql;

namespace Repro.Tests.Shared;

/// <summary>
/// A throw-away PostgreSQL server, for the tests and the benchmarks alike: Debian's binaries
/// (/usr/lib/postgresql/N/bin, the newest), <c>initdb</c> into a temp folder with scram-sha-256
/// password logins (so real password handling is exercised), listening on 127.0.0.1 on a free
/// port, stopped by its process id. Run as root, the server runs as the <c>postgres</c> user.
/// </summary>
public sealed class PostgresProcess : IAsyncDisposable
{
    public const string User = "postgres";

    private static readonly bool IsRoot = Environment.UserName == "root";

    private string _bin = string.Empty;
    private string _folder = string.Empty;
    private int _pid;

    public int Port { get; private set; }

    public const string Host = "127.0.0.1";

    /// <summary>The superuser's password (random per run): tests hand it over as PGPASSWORD or a password file, never in a URL they store.</summary>
    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A password-less store URL for <paramref name="database"/>.</summary>
    public string Url(string database) => string.Create(CultureInfo.InvariantCulture, $"postgresql://{User}@{Host}:{Port}/{database}");

    /// <summary>The variables a child <c>repro</c> needs to log in.</summary>
    public IReadOnlyDictionary<string, string?> Variables => new Dictionary<string, string?> { ["PGPASSWORD"] = Password, ["PGPASSFILE"] = null };

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = User, Password = Password, Database = database, Pooling = false }.ToString();

    /// <summary>Whether Debian's PostgreSQL binaries are installed.</summary>
    public static bool Installed => FindBin().Length > 0;

    /// <summary>Creates the cluster and starts the server; throws when PostgreSQL is not installed.</summary>
    public static async Task<PostgresProcess> StartAsync()
    {
        var server = new PostgresProcess();
        try
        {
            await server.InitializeAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The server's process id (its postmaster), for CPU accounting.</summary>
    public int Pid => _pid;

    private static string FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0).LastOrDefault() ?? string.Empty
            : string.Empty;

    private async Task InitializeAsync()
    {
        _bin = FindBin();
        if (_bin.Length == 0)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/setup, which installs Debian's postgresql");
        }

        _folder = Path.Combine(Path.GetTempPath(), "repro-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
        var data = Path.Combine(_folder, "data");
        var passwordFile = Path.Combine(_folder, "pw");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", _folder]);
        }

        await RunPostgresAsync("initdb", ["-D", data, "-U", User, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--pwfile", passwordFile, "-E", "UTF8", "--locale=C.UTF-8"]);
        File.Delete(passwordFile);
        Port = FreePort();
        await RunPostgresAsync("pg_ctl", ["-D", data, "-l", Path.Combine(_folder, "log"), "-w", "-t", "60", "-o", $"-h {Host} -p {Port.ToString(CultureInfo.InvariantCulture)} -k {_folder} -c max_connections=200 -c fsync=off", "start"]);
        _pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(data, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A new empty database; its name is returned. With <paramref name="icuLocale"/> (such as
    /// "en-US") its text sorts by that language's ICU collation instead of the cluster's C order,
    /// as on servers set up for people rather than for tests.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? icuLocale = null)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = icuLocale is null
            ? $"CREATE DATABASE {name}"
            : $"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icuLocale.Replace("'", "''", StringComparison.Ordinal)}'";
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>A pooled connection to <paramref name="database"/> as the store opens one, logging in with the password.</summary>
    public Task<SqlDatabase> OpenAsync(string database) =>
        PostgresUrl.Parse(Url(database)).OpenAsync(name => name == "PGPASSWORD" ? Password : null, CancellationToken.None);

    /// <summary>Runs one statement in <paramref name="database"/> as the superuser (for tampering tests).</summary>
    public async Task<object?> ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_pid > 0)
        {
            // SIGINT is PostgreSQL's fast shutdown: the postmaster stops its backends and exits.
            await RunAsync("kill", ["-INT", _pid.ToString(CultureInfo.InvariantCulture)]);
            for (var i = 0; i < 300 && Alive(_pid); i++)
            {
                await Task.Delay(100);
            }

            if (Alive(_pid))
            {
                await RunAsync("kill", ["-KILL", _pid.ToString(CultureInfo.InvariantCulture)]);
            }
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Whether the process exists and is not a zombie waiting to be reaped.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private Task RunPostgresAsync(string tool, string[] args) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]) : RunAsync(Path.Combine(_bin, tool), args);

    private static async Task RunAsync(string executable, string[] args)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path.GetTempPath() };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(executable)} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
