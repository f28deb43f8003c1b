using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Blobs.Storage.Sql;
using Repro.Model;

namespace Repro.Server.Ui;

/// <summary>
/// The audit log a page at a time: its size and head, and one page of links newest first, read
/// by sequence number from the database (an index range, whatever the log's length), or from the
/// whole log when the server has no database.
/// </summary>
internal sealed class AuditLogSource(IRunStore store, SqlDatabase? database)
{
    /// <summary>How many links the log holds and the newest one's hash (null when empty).</summary>
    public async Task<(long Count, string? Head)> SummaryAsync(CancellationToken cancellationToken)
    {
        if (database is null)
        {
            var all = await store.ReadAuditAsync(cancellationToken);
            return (all.Count, all.Count == 0 ? null : all[^1].Hash);
        }

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

    /// <summary>Up to <paramref name="limit"/> links with a sequence number below <paramref name="before"/> (null: from the head), newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> PageAsync(long? before, int limit, CancellationToken cancellationToken)
    {
        if (database is null)
        {
            var all = await store.ReadAuditAsync(cancellationToken);
            return all.Where(e => before is null || e.Seq < before).Reverse().Take(limit).ToList();
        }

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
