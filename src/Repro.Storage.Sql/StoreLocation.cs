using System.Text;
using Repro.Model.Workspaces;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Storage.Sql;

/// <summary>
/// Where a workspace keeps its runs: <c>REPRO_STORE</c> if set, else <c>store:</c> in
/// <c>.repro/config.yaml</c>, else the SQLite file <c>.repro/repro.db</c>. A PostgreSQL store is
/// a <c>postgresql://</c> URL; config.yaml, which is committed, may never hold its password.
/// Every command opens its store through here.
/// </summary>
public sealed class StoreLocation
{
    public const string Variable = "REPRO_STORE";

    private const string Key = "store";

    private readonly Workspace _workspace;

    private StoreLocation(Workspace workspace, PostgresUrl? postgres, string origin)
    {
        _workspace = workspace;
        Postgres = postgres;
        Origin = origin;
    }

    /// <summary>The PostgreSQL server, or null for the workspace's SQLite file.</summary>
    public PostgresUrl? Postgres { get; }

    /// <summary>Where the choice came from: REPRO_STORE, .repro/config.yaml or the default.</summary>
    public string Origin { get; }

    /// <summary>Safe to print: the SQLite path or the URL without its password.</summary>
    public string Display => Postgres?.Display ?? _workspace.DatabasePath;

    public static async Task<StoreLocation> ResolveAsync(Workspace workspace, Func<string, string?> variable, CancellationToken cancellationToken)
    {
        if (variable(Variable) is { Length: > 0 } fromVariable)
        {
            return Parse(workspace, fromVariable, Variable);
        }

        if (await ReadConfiguredAsync(workspace, cancellationToken) is { Length: > 0 } configured)
        {
            var location = Parse(workspace, configured, ".repro/config.yaml");
            if (location.Postgres is { HasPassword: true })
            {
                throw ReproException.Usage(".repro/config.yaml: the store URL holds a password; remove it (the file is committed) and supply it with PGPASSWORD or ~/.pgpass");
            }

            return location;
        }

        return new StoreLocation(workspace, null, "default");
    }

    /// <summary>A store named by the user: a <c>postgresql://</c> URL, or <c>sqlite</c> for the workspace's file.</summary>
    public static StoreLocation Parse(Workspace workspace, string text, string origin)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return new StoreLocation(workspace, null, origin);
        }

        if (!PostgresUrl.IsPostgres(trimmed))
        {
            throw ReproException.Usage($"{origin}: a store is `sqlite` (the default, .repro/repro.db) or postgresql://USER@HOST:PORT/DB");
        }

        return new StoreLocation(workspace, PostgresUrl.Parse(trimmed), origin);
    }

    /// <summary>Opens the store's database (pooled; the caller disposes it).</summary>
    public async Task<SqlDatabase> OpenDatabaseAsync(Func<string, string?> variable, CancellationToken cancellationToken) =>
        Postgres is { } postgres
            ? await postgres.OpenAsync(variable, cancellationToken)
            : await SqlDatabase.OpenSqliteAsync(_workspace.DatabasePath, cancellationToken);

    /// <summary>The <c>store:</c> value of config.yaml, or null.</summary>
    public static async Task<string?> ReadConfiguredAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        if (!File.Exists(workspace.ConfigPath))
        {
            return null;
        }

        var text = BoundedFile.ReadAllText(workspace.ConfigPath, YamlLimits.MaxFileBytes);

        // Most config files (the one `repro init` writes) name no store. Without the word, and
        // without an escape that could spell it, no key can be `store`: the YAML parser, which
        // costs every command tens of milliseconds of start-up, is not needed.
        if (!text.Contains(Key, StringComparison.Ordinal) && !text.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var stream = BoundedYaml.Load(text);
            return stream.Documents.Count > 0
                && stream.Documents[0].RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode(Key), out var value)
                && value is YamlScalarNode { Value: { } store }
                ? store
                : null;
        }
        catch (YamlException ex)
        {
            throw ReproException.Usage($".repro/config.yaml: malformed YAML at line {ex.Start.Line}: {ex.Message}");
        }
    }

    /// <summary>Sets <c>store:</c> in config.yaml to this location's display form (never a password), keeping every other line.</summary>
    public async Task WriteConfiguredAsync(CancellationToken cancellationToken)
    {
        var text = File.Exists(_workspace.ConfigPath) ? await File.ReadAllTextAsync(_workspace.ConfigPath, cancellationToken) : "version: 1\n";
        var kept = new StringBuilder();
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
        {
            if (!line.StartsWith(Key + ":", StringComparison.Ordinal))
            {
                kept.Append(line).Append('\n');
            }
        }

        var value = Postgres?.Display ?? "sqlite";
        kept.Append(Key).Append(": \"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\n");
        await AtomicFile.WriteAllTextAsync(_workspace.ConfigPath, kept.ToString(), cancellationToken);
    }
}
