using System.Text.Json;

namespace Repro.Lint;

/// <summary>
/// One node of a Python syntax tree as the interpreter's <c>ast</c> module produced it: its type
/// (<c>Call</c>, <c>Name</c>…), where it starts, and its fields (child nodes, lists, constants).
/// A generic shape on purpose: the rules read the few fields they need by their Python names.
/// </summary>
public sealed class PyNode
{
    private static readonly IReadOnlyList<PyNode> None = [];
    private readonly Dictionary<string, object?> _fields;

    private PyNode(string type, int line, int column, int? cell, Dictionary<string, object?> fields)
    {
        Type = type;
        Line = line;
        Column = column;
        Cell = cell;
        _fields = fields;
    }

    /// <summary>The <c>ast</c> class name, e.g. "Call".</summary>
    public string Type { get; }

    /// <summary>1-based line (within the cell for a notebook); 0 when the node has no position.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>1-based notebook code cell, null for a script.</summary>
    public int? Cell { get; }

    public PyNode? Parent { get; private set; }

    public bool Is(string type) => string.Equals(Type, type, StringComparison.Ordinal);

    public PyNode? Node(string field) => _fields.GetValueOrDefault(field) as PyNode;

    public IReadOnlyList<PyNode> Nodes(string field) =>
        _fields.GetValueOrDefault(field) is List<object?> list ? list.OfType<PyNode>().ToList() : None;

    public string? Text(string field) => _fields.GetValueOrDefault(field) as string;

    public double? Number(string field) => _fields.GetValueOrDefault(field) as double?;

    /// <summary>The value of a <c>Constant</c> node: string, double, bool or null.</summary>
    public object? ConstantValue => Is("Constant") ? _fields.GetValueOrDefault("value") : null;

    /// <summary>Every child node, in field order.</summary>
    public IEnumerable<PyNode> Children()
    {
        foreach (var value in _fields.Values)
        {
            if (value is PyNode node)
            {
                yield return node;
            }
            else if (value is List<object?> list)
            {
                foreach (var item in list)
                {
                    if (item is PyNode child)
                    {
                        yield return child;
                    }
                }
            }
        }
    }

    /// <summary>This node and everything under it, depth first, in source order.</summary>
    public IEnumerable<PyNode> Walk()
    {
        var stack = new Stack<PyNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            var children = node.Children().ToList();
            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>Builds the tree from the helper's JSON (see ast_dump.py): "_" is the type, "@" [line, col].</summary>
    public static PyNode FromJson(JsonElement element, int? cell)
    {
        var root = Build(element, cell, 0, 0);
        foreach (var node in root.Walk())
        {
            foreach (var child in node.Children())
            {
                child.Parent = node;
            }
        }

        return root;
    }

    private static PyNode Build(JsonElement element, int? cell, int line, int column)
    {
        var type = element.GetProperty("_").GetString() ?? "?";
        if (element.TryGetProperty("@", out var at))
        {
            line = at[0].GetInt32();
            column = at[1].GetInt32() + 1;
        }

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is "_" or "@")
            {
                continue;
            }

            fields[property.Name] = Value(property.Value, cell, line, column);
        }

        return new PyNode(type, line, column, cell, fields);
    }

    private static object? Value(JsonElement value, int? cell, int line, int column) => value.ValueKind switch
    {
        JsonValueKind.Object => Build(value, cell, line, column),
        JsonValueKind.Array => value.EnumerateArray().Select(v => Value(v, cell, line, column)).ToList(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
