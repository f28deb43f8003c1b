
namespace Repro.Storage.Sql.Search;

/// <summary>Values collected while SQL is built: each becomes <c>@pN</c> in the text, never part of it.</summary>
internal sealed class SqlParameters
{
    private readonly List<(string Name, object? Value)> _values = [];

    public int Count => _values.Count;

    /// <summary>The placeholder for <paramref name="value"/>.</summary>
    public string Add(object? value)
    {
        var name = "p" + _values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _values.Add((name, value));
        return "@" + name;
    }

    /// <summary>Placeholders for each value, comma-separated, for an IN list.</summary>
    public string AddList(IEnumerable<object?> values) => string.Join(", ", values.Select(Add));

    public void ApplyTo(DbCommand command, int count)
    {
        foreach (var (name, value) in _values.Take(count))
        {
            SqlDatabase.AddParameter(command, name, value);
        }
    }
}
