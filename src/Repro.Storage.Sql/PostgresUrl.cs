using System.Net.Sockets;
using Npgsql;

namespace Repro.Storage.Sql;

/// <summary>
/// A PostgreSQL server as libpq writes it, <c>postgresql://USER[:PASSWORD]@HOST[:PORT]/DB?sslmode=...</c>.
/// The password is kept only in memory for the connection: <see cref="Display"/> and
/// <see cref="ToString"/> never show it, and it is looked for, in order, in the URL,
/// <c>PGPASSWORD</c> and the password file (<c>PGPASSFILE</c>, else <c>~/.pgpass</c>).
/// A class, not a record, so that no generated member ever prints the password.
/// </summary>
public sealed class PostgresUrl
{
    public const int DefaultPort = 5432;

    /// <summary>libpq's query parameter names and the Npgsql keywords they mean.</summary>
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["search_path"] = "Search Path",
    };

    private readonly string? _password;

    private PostgresUrl(string? user, string? password, string host, int port, string database, IReadOnlyList<KeyValuePair<string, string>> options)
    {
        User = user;
        _password = password;
        Host = host;
        Port = port;
        Database = database;
        Options = options;
    }

    public string? User { get; }

    public string Host { get; }

    public int Port { get; }

    public string Database { get; }

    /// <summary>The query parameters, passed through to the connection (a <c>password</c> parameter is not among them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; }

    /// <summary>Whether the URL itself carried a password (it is never written anywhere).</summary>
    public bool HasPassword => _password is not null;

    /// <summary>The URL without its password: what is stored in config.yaml and printed.</summary>
    public string Display
    {
        get
        {
            var user = User is null ? string.Empty : Uri.EscapeDataString(User) + "@";
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            var query = Options.Count == 0 ? string.Empty : "?" + string.Join('&', Options.Select(o => $"{Uri.EscapeDataString(o.Key)}={Uri.EscapeDataString(o.Value)}"));
            return string.Create(CultureInfo.InvariantCulture, $"postgresql://{user}{host}:{Port}/{Uri.EscapeDataString(Database)}{query}");
        }
    }

    /// <summary><c>host:port</c>, for messages.</summary>
    public string Endpoint => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");

    public static bool IsPostgres(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a <c>postgresql://</c> or <c>postgres://</c> URL; anything malformed is a usage error that never repeats the password.</summary>
    public static PostgresUrl Parse(string text)
    {
        if (!IsPostgres(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw ReproException.Usage("a PostgreSQL store is written postgresql://USER@HOST:PORT/DB (or postgres://...)");
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            user = user.Length == 0 ? null : user;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        var host = uri.DnsSafeHost;
        var options = new List<KeyValuePair<string, string>>();
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = Uri.UnescapeDataString(equals < 0 ? string.Empty : pair[(equals + 1)..]);
            switch (key)
            {
                case "password":
                    password = value;
                    break;
                case "user":
                    user = value;
                    break;
                case "host":
                    host = value;
                    break;
                case "dbname":
                    database = value;
                    break;
                default:
                    options.Add(new(key, value));
                    break;
            }
        }

        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw ReproException.Usage("the PostgreSQL store URL needs a database name: postgresql://USER@HOST:PORT/DB");
        }

        var url = new PostgresUrl(user, password, host.Length == 0 ? "localhost" : host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port, database, options);
        url.Builder(_ => null);
        return url;
    }

    public override string ToString() => Display;

    /// <summary>
    /// The Npgsql connection string: the URL's parts and options, and the password from the URL,
    /// else <c>PGPASSWORD</c>, else the password file Npgsql reads (<c>PGPASSFILE</c> or <c>~/.pgpass</c>).
    /// </summary>
    public NpgsqlConnectionStringBuilder Builder(Func<string, string?> variable)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            ApplicationName = "repro",

            // The statements repro runs again and again (a log-batch's, a create's, a page of runs)
            // are prepared on each pooled connection after their second use, so the server parses
            // and plans them once; a URL option (Max Auto Prepare=0) turns it off, e.g. behind a
            // pooler in transaction mode.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };
        if ((User ?? variable("PGUSER")) is { Length: > 0 } user)
        {
            builder.Username = user;
        }

        if ((_password ?? variable("PGPASSWORD")) is { } password)
        {
            builder.Password = password;
        }
        else if (variable("PGPASSFILE") is { Length: > 0 } passfile)
        {
            builder.Passfile = passfile;
        }

        foreach (var (key, value) in Options)
        {
            try
            {
                builder[Keywords.GetValueOrDefault(key, key)] = value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                throw ReproException.Usage($"the PostgreSQL store URL has a connection parameter repro cannot pass on: {key}={value}");
            }
        }

        return builder;
    }

    /// <summary>
    /// Opens a pooled database on the server and checks it answers; a server that cannot be
    /// reached, or refuses the login, is exit 3 with the endpoint and the reason (never the password).
    /// </summary>
    public async Task<SqlDatabase> OpenAsync(Func<string, string?> variable, CancellationToken cancellationToken)
    {
        var source = NpgsqlDataSource.Create(Builder(variable));
        try
        {
            await using var connection = await source.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or IOException)
        {
            await source.DisposeAsync();
            throw ReproException.CannotExecute($"cannot reach the run store {Display} at {Endpoint}: {Scrub(Reason(ex))}");
        }

        return SqlDatabase.ForPostgres(source, Display);
    }

    private string Reason(Exception ex)
    {
        var reason = ex switch
        {
            PostgresException postgres => postgres.MessageText,
            _ when ex.InnerException is SocketException socket => socket.Message,
            _ when ex.InnerException is TimeoutException => "timed out",
            _ => ex.Message,
        };
        if (ex is PostgresException { SqlState: "28P01" } || reason.Contains("No password has been provided", StringComparison.Ordinal))
        {
            reason += HasPassword
                ? string.Empty
                : "; supply the password with PGPASSWORD or a ~/.pgpass line (PGPASSFILE names another file)";
        }
        else if (ex is PostgresException { SqlState: "3D000" })
        {
            reason += $"; create it first (createdb -h {Host} -p {Port.ToString(CultureInfo.InvariantCulture)} {Database})";
        }

        return reason;
    }

    private string Scrub(string text) =>
        _password is { Length: > 0 } password ? text.Replace(password, "***", StringComparison.Ordinal) : text;
}
