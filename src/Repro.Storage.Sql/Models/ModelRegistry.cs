using System.Text;
using Repro.Interop.Models;

namespace Repro.Storage.Sql.Models;

/// <summary>
/// Numbered versions of named models, each one declared output of a recorded run with its
/// lineage frozen beside it, and movable aliases (@champion). Kept in the store's database
/// (module "models"); every registration and alias move is a link in the audit chain.
/// </summary>
public sealed class ModelRegistry : IModelRegistry
{
    // The audit link is written in the same transaction, so the registry takes the run store's lock.
    private const string WriteLock = SqlRunStore.WriteLock;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE model_versions(
            name TEXT NOT NULL,
            version BIGINT NOT NULL,
            run_id TEXT NOT NULL,
            output_path TEXT NOT NULL,
            output_sha256 TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            digest TEXT NOT NULL,
            lineage TEXT NOT NULL,
            PRIMARY KEY(name, version));
        CREATE INDEX model_versions_run ON model_versions(run_id);
        CREATE TABLE model_aliases(
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            version BIGINT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY(name, alias))
        """,
    ];

    /// <summary>Packages worth naming in a model's environment summary, when present.</summary>
    private static readonly string[] KeyPackages =
    [
        "numpy", "scipy", "pandas", "polars", "pyarrow", "scikit-learn", "torch", "torchvision", "tensorflow", "keras", "jax", "jaxlib",
        "xgboost", "lightgbm", "catboost", "statsmodels", "transformers", "datasets", "tokenizers", "onnx", "onnxruntime", "mlflow",
    ];

    private readonly SqlDatabase _database;
    private readonly IRunStore _store;
    private readonly TimeProvider _time;

    private ModelRegistry(SqlDatabase database, IRunStore store, TimeProvider time)
    {
        _database = database;
        _store = store;
        _time = time;
    }

    /// <summary>The registry in <paramref name="database"/> (the same database as <paramref name="store"/>), migrated.</summary>
    public static async Task<ModelRegistry> OpenAsync(SqlDatabase database, IRunStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        await database.MigrateAsync("models", Migrations, cancellationToken);
        return new ModelRegistry(database, store, time);
    }

    /// <summary>
    /// Registers output <paramref name="outputPath"/> of run <paramref name="runId"/> as the next
    /// version of <paramref name="name"/>, then points <paramref name="aliases"/> at it. Refuses an
    /// unknown run, an output the run did not declare or did not produce, and a failed run unless
    /// <paramref name="allowFailed"/>.
    /// </summary>
    public async Task<RegisteredModelVersion> RegisterAsync(string name, string runId, string outputPath, IReadOnlyList<string> aliases, bool allowFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        ModelNames.RequireName(name);
        foreach (var alias in aliases)
        {
            ModelNames.RequireAlias(alias);
        }

        var stored = await _store.GetAsync(runId, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{runId}': see `repro runs`");
        var run = stored.Manifest;
        if (run.Status != RunStatus.Ok && !allowFailed)
        {
            throw ReproException.Usage($"run {Short(run.Id)} did not succeed (status {StatusWord(run.Status)}, exit code {run.Execution.ExitCode}): a model should come from a successful run; pass --allow-failed to register it anyway");
        }

        var output = FindOutput(run, outputPath);
        var verifications = await _store.ListVerificationsAsync(run.Id, 0, cancellationToken);
        var now = _time.GetUtcNow();
        var lineage = new ModelVersion
        {
            Name = name,
            Version = 0,
            RegisteredAt = now,
            Run = new ModelRun { Id = run.Id, Name = run.Name, Kind = run.Kind, Status = StatusWord(run.Status), CreatedAt = run.CreatedAt, Digest = stored.Digest },
            Output = output,
            Code = new ModelCode
            {
                Kind = run.Code.Kind,
                Commit = run.Code.Commit,
                Branch = run.Code.Branch,
                Remote = run.Code.Remote,
                Dirty = run.Code.Dirty,
                DiffSha256 = run.Code.Diff?.Sha256,
                TreeSha256 = run.Code.Tree?.Sha256,
            },
            Data = run.Deps,
            Environment = Summarize(run.Environment),
            Verifications = verifications
                .OrderBy(v => v.Report.VerifiedAt)
                .Select(v => new ModelVerification { Id = v.Report.Id, Verdict = v.Report.Verdict.ToString().ToUpperInvariant(), VerifiedAt = v.Report.VerifiedAt, Summary = v.Report.Summary, Digest = v.Digest })
                .ToList(),
            Params = run.Params,
            Metrics = run.Metrics.Values,
            Seed = run.Seed,
        };

        ModelVersion version;
        string digest;
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken);
            await using (var next = connection.CreateCommand())
            {
                // Under the write lock: two registrations never get the same number.
                next.Transaction = transaction;
                next.CommandText = "SELECT COALESCE(MAX(version), 0) FROM model_versions WHERE name = @name";
                SqlDatabase.AddParameter(next, "name", name);
                version = lineage with { Version = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) + 1 };
            }

            var json = Encoding.UTF8.GetString(CanonicalJson.Serialize(version));
            digest = Sha256Hasher.HashBytes(Encoding.UTF8.GetBytes(json));
            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO model_versions(name, version, run_id, output_path, output_sha256, registered_at, digest, lineage)
                    VALUES (@name, @version, @run, @path, @sha, @at, @digest, @lineage)
                    """;
                SqlDatabase.AddParameter(insert, "name", name);
                SqlDatabase.AddParameter(insert, "version", version.Version);
                SqlDatabase.AddParameter(insert, "run", run.Id);
                SqlDatabase.AddParameter(insert, "path", output.Path);
                SqlDatabase.AddParameter(insert, "sha", output.Sha256);
                SqlDatabase.AddParameter(insert, "at", FormatTime(now));
                SqlDatabase.AddParameter(insert, "digest", digest);
                SqlDatabase.AddParameter(insert, "lineage", json);
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            // The version and its audit links commit together: nothing registered goes unlogged.
            await SqlRunStore.AppendAuditAsync(connection, transaction, "model", string.Create(CultureInfo.InvariantCulture, $"{name}/{version.Version}"), digest, now, cancellationToken);
            foreach (var alias in aliases)
            {
                await UpsertAliasAsync(connection, transaction, name, alias, version.Version, now, cancellationToken);
                await AppendAliasAuditAsync(connection, transaction, name, alias, version.Version, now, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return new RegisteredModelVersion(version, digest, await AliasesOfAsync(name, version.Version, cancellationToken));
    }

    /// <summary>Points <paramref name="alias"/> of <paramref name="name"/> at an existing <paramref name="version"/>; returns the version it pointed at before, if any.</summary>
    public async Task<long?> SetAliasAsync(string name, string alias, long version, CancellationToken cancellationToken)
    {
        ModelNames.RequireName(name);
        ModelNames.RequireAlias(alias);
        var now = _time.GetUtcNow();
        long? previous;
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        {
            await using var transaction = await _database.BeginWriteAsync(connection, WriteLock, cancellationToken);
            await using (var exists = connection.CreateCommand())
            {
                exists.Transaction = transaction;
                exists.CommandText = "SELECT COUNT(*), COALESCE(MAX(version), 0) FROM model_versions WHERE name = @name";
                SqlDatabase.AddParameter(exists, "name", name);
                await using var reader = await exists.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                var count = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                var latest = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                if (count == 0)
                {
                    throw ReproException.NotFound($"unknown model '{name}': see `repro model list`");
                }

                if (version < 1 || version > latest)
                {
                    throw ReproException.Usage(string.Create(CultureInfo.InvariantCulture, $"model {name} has no version {version} (its versions are 1 to {latest})"));
                }
            }

            await using (var read = connection.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT version FROM model_aliases WHERE name = @name AND alias = @alias";
                SqlDatabase.AddParameter(read, "name", name);
                SqlDatabase.AddParameter(read, "alias", alias);
                var value = await read.ExecuteScalarAsync(cancellationToken);
                previous = value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }

            await UpsertAliasAsync(connection, transaction, name, alias, version, now, cancellationToken);
            await AppendAliasAuditAsync(connection, transaction, name, alias, version, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return previous;
    }

    /// <summary>The version a reference names (latest for a bare name); a clear usage error when there is none.</summary>
    public async Task<RegisteredModelVersion> GetAsync(ModelReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        SqlDatabase.AddParameter(command, "name", reference.Name);
        if (reference.Alias is { } alias)
        {
            command.CommandText = "SELECT v.lineage, v.digest FROM model_versions v JOIN model_aliases a ON a.name = v.name AND a.version = v.version WHERE a.name = @name AND a.alias = @alias";
            SqlDatabase.AddParameter(command, "alias", alias);
        }
        else if (reference.Version is { } version)
        {
            command.CommandText = "SELECT lineage, digest FROM model_versions WHERE name = @name AND version = @version";
            SqlDatabase.AddParameter(command, "version", version);
        }
        else
        {
            command.CommandText = "SELECT lineage, digest FROM model_versions WHERE name = @name ORDER BY version DESC LIMIT 1";
        }

        string? json = null;
        string? digest = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                json = reader.GetString(0);
                digest = reader.GetString(1);
            }
        }

        if (json is null)
        {
            throw ReproException.Usage(await ExistsAsync(connection, reference.Name, cancellationToken)
                ? $"model {reference.Name} has no {(reference.Alias is not null ? $"alias @{reference.Alias}" : $"version {reference.Version}")}: see `repro model show {reference.Name}`"
                : $"unknown model '{reference.Name}': see `repro model list`");
        }

        var stored = CanonicalJson.Deserialize<ModelVersion>(json);
        return new RegisteredModelVersion(stored, digest!, await AliasesOfAsync(stored.Name, stored.Version, cancellationToken));
    }

    /// <summary>Every version of a model, oldest first, with its aliases.</summary>
    public async Task<IReadOnlyList<RegisteredModelVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var versions = new List<(ModelVersion Version, string Digest)>();
        await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT lineage, digest FROM model_versions WHERE name = @name ORDER BY version";
            SqlDatabase.AddParameter(command, "name", name);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                versions.Add((CanonicalJson.Deserialize<ModelVersion>(reader.GetString(0)), reader.GetString(1)));
            }
        }

        var aliases = await AliasesAsync(name, cancellationToken);
        return versions.Select(v => new RegisteredModelVersion(v.Version, v.Digest, aliases.Where(a => a.Value == v.Version.Version).Select(a => a.Key).ToList())).ToList();
    }

    /// <summary>Every model by name: how many versions, the latest, the aliases.</summary>
    public async Task<IReadOnlyList<ModelSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var models = new List<(string Name, long Count, long Latest, string Updated)>();
        var aliases = new Dictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, COUNT(*), MAX(version), MAX(registered_at) FROM model_versions GROUP BY name ORDER BY name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                models.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetString(3)));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, alias, version, updated_at FROM model_aliases";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var name = reader.GetString(0);
                if (!aliases.TryGetValue(name, out var map))
                {
                    aliases[name] = map = new SortedDictionary<string, long>(StringComparer.Ordinal);
                }

                map[reader.GetString(1)] = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
            }
        }

        // Names in byte order as on SQLite: a PostgreSQL database's collation (en_US, ICU) would sort 'apple' before 'Churn'.
        return models.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new ModelSummary
        {
            Name = m.Name,
            Versions = m.Count,
            Latest = m.Latest,
            UpdatedAt = ParseTime(m.Updated),
            Aliases = aliases.TryGetValue(m.Name, out var map) ? map : new SortedDictionary<string, long>(StringComparer.Ordinal),
        }).ToList();
    }

    /// <summary>The versions registered from a run (a run page can show "this run is model X v3").</summary>
    public async Task<IReadOnlyList<(string Name, long Version)>> VersionsOfRunAsync(string runId, CancellationToken cancellationToken)
    {
        var result = new List<(string, long)>();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, version FROM model_versions WHERE run_id = @run ORDER BY name, version";
        SqlDatabase.AddParameter(command, "run", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
        }

        // Byte order whatever the database's collation, as ListAsync.
        return result.OrderBy(v => v.Item1, StringComparer.Ordinal).ThenBy(v => v.Item2).ToList();
    }

    private static ArtifactRecord FindOutput(RunManifest run, string outputPath)
    {
        var wanted = outputPath.Replace('\\', '/').TrimEnd('/');
        while (wanted.StartsWith("./", StringComparison.Ordinal))
        {
            wanted = wanted[2..];
        }

        var output = run.Outputs.FirstOrDefault(o => o.Path == wanted || o.Path == outputPath);
        if (output is null)
        {
            var declared = run.Outputs.Count == 0 ? "it declared none; record outputs with `repro run --out PATH`" : "its outputs: " + string.Join(", ", run.Outputs.Select(o => o.Path));
            throw ReproException.Usage($"run {Short(run.Id)} did not declare the output '{outputPath}' ({declared})");
        }

        if (output.Kind == ArtifactKind.Missing || output.Sha256 is null)
        {
            throw ReproException.Usage($"the output '{output.Path}' of run {Short(run.Id)} was missing when the run ended: there is no model to register");
        }

        return output;
    }

    private static ModelEnvironment Summarize(EnvironmentSnapshot environment)
    {
        var packages = environment.Python?.Packages ?? new Dictionary<string, string>();
        return new ModelEnvironment
        {
            Python = environment.Python?.Version,
            PythonImplementation = environment.Python?.Implementation,
            Packages = new SortedDictionary<string, string>(
                KeyPackages.Where(packages.ContainsKey).ToDictionary(p => p, p => packages[p], StringComparer.Ordinal),
                StringComparer.Ordinal),
            PackageCount = packages.Count,
            Os = environment.Os is { } os ? (os.Version is null ? os.Name : $"{os.Name} {os.Version}") : null,
            Architecture = environment.Architecture,
            Hostname = environment.Hostname,
            Container = environment.Container.Inside ? environment.Container.Engine ?? "unknown engine" : null,
        };
    }

    private static async Task UpsertAliasAsync(DbConnection connection, DbTransaction transaction, string name, string alias, long version, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO model_aliases(name, alias, version, updated_at) VALUES (@name, @alias, @version, @at)
            ON CONFLICT(name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
            """;
        SqlDatabase.AddParameter(upsert, "name", name);
        SqlDatabase.AddParameter(upsert, "alias", alias);
        SqlDatabase.AddParameter(upsert, "version", version);
        SqlDatabase.AddParameter(upsert, "at", FormatTime(at));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>An alias move is logged too: its digest is the SHA-256 of "NAME/VERSION" it now points at.</summary>
    private static Task<Repro.Model.AuditEntry> AppendAliasAuditAsync(DbConnection connection, DbTransaction transaction, string name, string alias, long version, DateTimeOffset at, CancellationToken cancellationToken) =>
        SqlRunStore.AppendAuditAsync(
            connection,
            transaction,
            "model-alias",
            $"{name}@{alias}",
            Sha256Hasher.HashBytes(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{name}/{version}"))),
            at,
            cancellationToken);

    private async Task<IReadOnlyList<string>> AliasesOfAsync(string name, long version, CancellationToken cancellationToken) =>
        (await AliasesAsync(name, cancellationToken)).Where(a => a.Value == version).Select(a => a.Key).ToList();

    private async Task<SortedDictionary<string, long>> AliasesAsync(string name, CancellationToken cancellationToken)
    {
        var aliases = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT alias, version FROM model_aliases WHERE name = @name";
        SqlDatabase.AddParameter(command, "name", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            aliases[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        return aliases;
    }

    private static async Task<bool> ExistsAsync(DbConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM model_versions WHERE name = @name";
        SqlDatabase.AddParameter(command, "name", name);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    private static string StatusWord(RunStatus status) => status.ToString().ToLowerInvariant();

    private static string Short(string id) => id.Length > 8 ? id[..8] : id;

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
