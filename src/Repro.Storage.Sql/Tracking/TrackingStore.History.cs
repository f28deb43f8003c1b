using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Repro.Storage.Sql.Tracking;

/// <summary>
/// A live run's full metric history. Each log-batch keeps its points as one row a metric key in
/// <c>tracking_points</c>: the points packed as (step, timestamp, value) little-endian, 24 bytes
/// each, in the order they were logged. A batch of 500 points over 10 keys is 10 rows and 10
/// index entries, not 500 of each: the insert and its index were most of a batch's time in the
/// write turn every writer waits on (0.9 ms of a 500-point batch as rows, bound through SQLite's
/// own calls; 2.5 ms through Microsoft.Data.Sqlite's parameters). Points logged before this table
/// are rows of <c>tracking_metrics</c>, read beside it. The value keeps its bits, NaN and the
/// infinities included; history is read a metric (get-history) or a run (the seal) at a time and
/// sorted then, by step, timestamp and value as MLflow orders it (NaN as 0, as MLflow stores it).
/// </summary>
public sealed partial class TrackingStore
{
    private const int PointBytes = 24;

    private readonly record struct HistoryPoint(string Key, long Step, long Timestamp, double Value);

    // Rows one statement of AddPoints inserts on PostgreSQL (four parameters each).
    private const int PointRowsPerStatement = 100;

    /// <summary>
    /// The batch's points, one row a key, inside the caller's open write transaction: on
    /// PostgreSQL as statements of <paramref name="batch"/> (<paramref name="run"/> is its
    /// placeholder of the run id), so they travel with the batch's other writes; on SQLite, which
    /// has no round trips to save, at once through one statement prepared on the connection's
    /// handle and bound through SQLite's own calls.
    /// </summary>
    private static void AddPoints(DbConnection connection, SqlBatch batch, string run, string runId, IReadOnlyList<MlflowMetric> points)
    {
        var chunks = Chunks(points);
        if (connection is not SqliteConnection sqlite)
        {
            foreach (var rows in chunks.Chunk(PointRowsPerStatement))
            {
                var values = string.Join(", ", rows.Select(r => $"({run}, {batch.Value(r.Key)}, {batch.Value((long)r.Count)}, {batch.Value(r.Data)})"));
                batch.Add($"INSERT INTO tracking_points(run_id, key, points, data) VALUES {values}");
            }

            return;
        }

        var db = sqlite.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, "INSERT INTO tracking_points(run_id, key, points, data) VALUES (?1, ?2, ?3, ?4)", out var statement));
        using (statement)
        {
            Check(db, raw.sqlite3_bind_text(statement, 1, runId));
            foreach (var (key, count, data) in chunks)
            {
                Check(db, raw.sqlite3_bind_text(statement, 2, key));
                Check(db, raw.sqlite3_bind_int64(statement, 3, count));
                Check(db, raw.sqlite3_bind_blob(statement, 4, data));
                var done = raw.sqlite3_step(statement);
                if (done != raw.SQLITE_DONE)
                {
                    Check(db, done);
                }

                Check(db, raw.sqlite3_reset(statement));
            }
        }
    }

    /// <summary>The points of each key, packed, keys in the order they first appear.</summary>
    private static List<(string Key, int Count, byte[] Data)> Chunks(IReadOnlyList<MlflowMetric> points)
    {
        var byKey = new Dictionary<string, List<MlflowMetric>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var point in points)
        {
            if (!byKey.TryGetValue(point.Key, out var list))
            {
                byKey[point.Key] = list = [];
                order.Add(point.Key);
            }

            list.Add(point);
        }

        var chunks = new List<(string, int, byte[])>(order.Count);
        foreach (var key in order)
        {
            var list = byKey[key];
            var data = new byte[list.Count * PointBytes];
            for (var i = 0; i < list.Count; i++)
            {
                var at = data.AsSpan(i * PointBytes, PointBytes);
                BinaryPrimitives.WriteInt64LittleEndian(at, list[i].Step);
                BinaryPrimitives.WriteInt64LittleEndian(at[8..], list[i].Timestamp);
                BinaryPrimitives.WriteDoubleLittleEndian(at[16..], list[i].Value);
            }

            chunks.Add((key, list.Count, data));
        }

        return chunks;
    }

    /// <summary>A live run's logged points, of one metric when <paramref name="key"/> is given, sorted by key, step, timestamp and value.</summary>
    private static async Task<List<HistoryPoint>> HistoryAsync(DbConnection connection, string runId, string? key, CancellationToken cancellationToken)
    {
        var points = new List<HistoryPoint>();
        var filter = key is null ? "run_id = @run" : "run_id = @run AND key = @key";
        (string, object?)[] parameters = key is null ? [("run", runId)] : [("run", runId), ("key", key)];
        await using (var read = Sql(connection, null, $"SELECT key, points, data FROM tracking_points WHERE {filter}", parameters))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var pointKey = reader.GetString(0);
                var count = reader.GetInt64(1);
                var data = (byte[])reader.GetValue(2);
                if (data.Length != count * PointBytes)
                {
                    throw new InvalidDataException($"the metric history of run {runId}, key '{pointKey}', has a chunk of {data.Length} bytes for {count} points");
                }

                for (var at = 0; at < data.Length; at += PointBytes)
                {
                    var point = data.AsSpan(at, PointBytes);
                    points.Add(new HistoryPoint(pointKey, BinaryPrimitives.ReadInt64LittleEndian(point), BinaryPrimitives.ReadInt64LittleEndian(point[8..]), BinaryPrimitives.ReadDoubleLittleEndian(point[16..])));
                }
            }
        }

        await using (var read = Sql(connection, null, $"SELECT key, step, timestamp, value, is_nan FROM tracking_metrics WHERE {filter}", parameters))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var value = reader.IsDBNull(3) || Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture) != 0 ? double.NaN : reader.GetDouble(3);
                points.Add(new HistoryPoint(reader.GetString(0), reader.GetInt64(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture), value));
            }
        }

        points.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Key, b.Key);
            order = order != 0 ? order : a.Step.CompareTo(b.Step);
            order = order != 0 ? order : a.Timestamp.CompareTo(b.Timestamp);
            return order != 0 ? order : SortValue(a.Value).CompareTo(SortValue(b.Value));
        });
        return points;
    }

    private static double SortValue(double value) => double.IsNaN(value) ? 0.0 : value;

    private static void Check(sqlite3 db, int code)
    {
        if (code != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), code, raw.sqlite3_extended_errcode(db));
        }
    }
}
