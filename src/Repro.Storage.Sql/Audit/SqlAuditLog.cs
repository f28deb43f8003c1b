
namespace Repro.Storage.Sql.Audit;

/// <summary>The audit table read by sequence number: an index range, whatever the log's length.</summary>
public sealed class SqlAuditLog(SqlDatabase database) : IAuditLog
{
    public async Task<(long Count, string? Head)> SummaryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        long count;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT COUNT(*) FROM audit";
            count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1";
            return (count, await command.ExecuteScalarAsync(cancellationToken) as string);
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> PageAsync(long? before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT seq, at, kind, subject, digest, previous, hash FROM audit {(before is null ? string.Empty : "WHERE seq < @before")} ORDER BY seq DESC LIMIT @limit";
        if (before is { } b)
        {
            SqlDatabase.AddParameter(command, "before", b);
        }

        SqlDatabase.AddParameter(command, "limit", (long)limit);
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(SqlRunStore.ReadAuditEntry(reader));
        }

        return entries;
    }
}
