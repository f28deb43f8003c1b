using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Repro.Storage.Sql.StatCache;

/// <summary>
/// The stat cache in a local SQLite file (<c>.repro/state.db</c>). All rows are read once on
/// first use (tens of milliseconds for 100,000 files) and new ones written in one transaction.
/// Each digest algorithm has its own table in the same file (SHA-256 in <c>stat_cache</c>, DVC's
/// md5 flavours in <c>stat_cache_md5</c> and <c>stat_cache_md5_dos2unix</c>). A folder's snapshot
/// is one small binary file beside the database (<c>.repro/state-folders/</c>), written by
/// temp file and rename: an unchanged folder then costs one file read and no SQLite at all.
/// </summary>
public sealed class SqliteStatCache : IStatCache
{
    private readonly string _connectionString;
    private readonly string _table;
    private readonly string _foldersPath;
    private readonly ConcurrentDictionary<string, (FileStamp Stamp, string Sha256)> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FolderSnapshot> _pendingFolders = new(StringComparer.Ordinal);
    private Dictionary<string, (FileStamp Stamp, string Sha256)>? _known;
    private readonly Lock _loadLock = new();

    public SqliteStatCache(string databasePath, string algorithm = "sha256")
    {
        if (algorithm.Length == 0 || !algorithm.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new ArgumentException($"invalid algorithm name '{algorithm}'", nameof(algorithm));
        }

        _table = algorithm == "sha256" ? "stat_cache" : "stat_cache_" + algorithm.Replace('-', '_');
        var full = Path.GetFullPath(databasePath);
        _foldersPath = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + "-folders");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 60 }.ToString();
    }

    public bool TryGet(string path, FileStamp stamp, out string sha256)
    {
        var known = Load();
        if (known.TryGetValue(path, out var entry) && entry.Stamp == stamp && stamp.Inode != 0)
        {
            sha256 = entry.Sha256;
            return true;
        }

        sha256 = string.Empty;
        return false;
    }

    public void Put(string path, FileStamp stamp, string sha256)
    {
        if (stamp.Inode == 0)
        {
            return;
        }

        var known = Load();
        lock (_loadLock)
        {
            if (known.TryGetValue(path, out var entry) && entry.Stamp == stamp && entry.Sha256 == sha256)
            {
                return;
            }
        }

        _pending[path] = (stamp, sha256);
    }

    public FolderSnapshot? GetFolder(string folder)
    {
        if (_pendingFolders.TryGetValue(folder, out var pending))
        {
            return pending;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FolderFile(folder));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return FolderSnapshot.Read(bytes, folder);
    }

    public void PutFolder(string folder, FolderSnapshot snapshot) => _pendingFolders[folder] = snapshot;

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        FlushFolders();
        if (_pending.IsEmpty)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT OR REPLACE INTO {_table}(path, size, mtime_ns, inode, sha256) VALUES ($path, $size, $mtime, $inode, $sha)";
        var path = command.Parameters.Add("$path", SqliteType.Text);
        var size = command.Parameters.Add("$size", SqliteType.Integer);
        var mtime = command.Parameters.Add("$mtime", SqliteType.Integer);
        var inode = command.Parameters.Add("$inode", SqliteType.Integer);
        var sha = command.Parameters.Add("$sha", SqliteType.Text);
        // In key order: the primary-key index then grows at its end instead of splitting pages all over.
        foreach (var (key, value) in _pending.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            path.Value = key;
            size.Value = value.Stamp.Size;
            mtime.Value = value.Stamp.MtimeNs;
            inode.Value = value.Stamp.Inode;
            sha.Value = value.Sha256;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        lock (_loadLock)
        {
            foreach (var (key, value) in _pending)
            {
                _known![key] = value;
            }
        }

        _pending.Clear();
    }

    /// <summary>Each snapshot through a temp file and a rename: a reader sees the old one or the new one, never half of one.</summary>
    private void FlushFolders()
    {
        foreach (var folder in _pendingFolders.Keys.ToList())
        {
            if (!_pendingFolders.TryRemove(folder, out var snapshot))
            {
                continue;
            }

            Directory.CreateDirectory(_foldersPath);
            var path = FolderFile(folder);
            var temp = $"{path}.{Guid.NewGuid():N}.tmp";
            try
            {
                File.WriteAllBytes(temp, snapshot.Bytes);
                File.Move(temp, path, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>One file a folder and digest algorithm, named by the SHA-256 of the folder's full path (stored inside and checked on reading).</summary>
    private string FolderFile(string folder) =>
        Path.Combine(_foldersPath, $"{_table}-{Sha256Hasher.HashBytes(System.Text.Encoding.UTF8.GetBytes(folder))[..32]}.bin");

    private Dictionary<string, (FileStamp Stamp, string Sha256)> Load()
    {
        if (_known is not null)
        {
            return _known;
        }

        lock (_loadLock)
        {
            if (_known is not null)
            {
                return _known;
            }

            using var connection = OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            _known = ReadAll(connection);
            return _known;
        }
    }

    /// <summary>Every row, optimised at once: a process reads its 20,000 rows only once, too few for tiering to catch up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Dictionary<string, (FileStamp Stamp, string Sha256)> ReadAll(SqliteConnection connection)
    {
        var known = new Dictionary<string, (FileStamp, string)>(StringComparer.Ordinal);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT path, size, mtime_ns, inode, sha256 FROM {_table}";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            known[reader.GetString(0)] = (new FileStamp(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)), reader.GetString(4));
        }

        return known;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS {_table}(
                path TEXT PRIMARY KEY,
                size INTEGER NOT NULL,
                mtime_ns INTEGER NOT NULL,
                inode INTEGER NOT NULL,
                sha256 TEXT NOT NULL);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
