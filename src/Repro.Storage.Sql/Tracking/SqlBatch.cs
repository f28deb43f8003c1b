using System.Text;

namespace Repro.Storage.Sql.Tracking;

/// <summary>
/// Statements sent as one command, so one round trip inside the write turn however many there
/// are: PostgreSQL runs them in order in the open transaction, SQLite steps through them. Each
/// value becomes a parameter named in the order it was added (<c>@b0</c>, <c>@b1</c>, …), so
/// statements built by different parts of a write never clash. Reads may follow writes: a reader
/// on the command starts at the first statement that returns rows.
/// </summary>
internal sealed class SqlBatch
{
    private readonly StringBuilder _text = new();
    private readonly List<(string Name, object? Value)> _parameters = [];

    public bool IsEmpty => _text.Length == 0;

    /// <summary>The placeholder of a new parameter holding <paramref name="value"/> (null is SQL NULL).</summary>
    public string Value(object? value)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"b{_parameters.Count}");
        _parameters.Add((name, value));
        return "@" + name;
    }

    public void Add(string statement) => _text.Append(statement).Append(";\n");

    public DbCommand Command(DbConnection connection, DbTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _text.ToString();
        foreach (var (name, value) in _parameters)
        {
            SqlDatabase.AddParameter(command, name, value);
        }

        return command;
    }

    public async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        if (IsEmpty)
        {
            return;
        }

        await using var command = Command(connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
