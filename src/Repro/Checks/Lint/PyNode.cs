using System.Text.Json;

namespace Repro.Checks.Lint;

/// <summary>
/// One node of a Python syntax tree as the interpreter's <c>ast</c> module produced it: its type
/// (<c>Call</c>, <c>Name</c>…), where it starts, and its fields (child nodes, lists, constants).
/// A generic shape on purpose: the rules read the few fields they need by their Python names.
/// </summary>
public sealed class PyNode
{
    private static readonly IReadOnlyList<PyNode> None = [];
    private readonly Dictionary<string, object?> _fields;
    private PyNode[] _children = [];

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

    public PyNode? Parent { get; private init; }

    public bool Is(string type) => string.Equals(Type, type, StringComparison.Ordinal);

    public PyNode? Node(string field) => _fields.GetValueOrDefault(field) as PyNode;

    public IReadOnlyList<PyNode> Nodes(string field) => _fields.GetValueOrDefault(field) switch
    {
        PyNode[] nodes => nodes,
        List<object?> mixed => mixed.OfType<PyNode>().ToList(),
        _ => None,
    };

    /// <summary>A list with gaps kept in place (<c>kw_defaults</c>, a dict's keys with <c>**</c>): null where Python has None.</summary>
    public IReadOnlyList<PyNode?> NodesWithGaps(string field) => _fields.GetValueOrDefault(field) switch
    {
        PyNode[] nodes => nodes,
        List<object?> mixed => mixed.Select(m => m as PyNode).ToList(),
        _ => [],
    };

    public string? Text(string field) => _fields.GetValueOrDefault(field) as string;

    /// <summary>A list of names (<c>global a, b</c>, a class pattern's keyword names); empty when absent.</summary>
    public IReadOnlyList<string> Strings(string field) => _fields.GetValueOrDefault(field) is List<object?> items ? items.OfType<string>().ToList() : [];

    public double? Number(string field) => _fields.GetValueOrDefault(field) as double?;

    /// <summary>The value of a <c>Constant</c> node: string, double, bool or null.</summary>
    public object? ConstantValue => Is("Constant") ? _fields.GetValueOrDefault("value") : null;

    /// <summary>Every child node, in field order.</summary>
    public IReadOnlyList<PyNode> Children() => _children;

    /// <summary>This node and everything under it, depth first, in source order.</summary>
    public IEnumerable<PyNode> Walk()
    {
        var stack = new Stack<PyNode>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            var children = node._children;
            for (var i = children.Length - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }

    /// <summary>Builds the tree from the helper's JSON (see ast_dump.py): "_" is the type, "@" [line, col].</summary>
    public static PyNode FromJson(JsonElement element, int? cell) => Build(element, cell, 0, 0, null);

    private static PyNode Build(JsonElement element, int? cell, int line, int column, PyNode? parent)
    {
        var type = element.GetProperty("_").GetString() ?? "?";
        if (element.TryGetProperty("@", out var at))
        {
            line = at[0].GetInt32();
            column = at[1].GetInt32() + 1;
        }

        var node = new PyNode(type, line, column, cell, new Dictionary<string, object?>(StringComparer.Ordinal)) { Parent = parent };
        var children = new List<PyNode>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name is "_" or "@")
            {
                continue;
            }

            node._fields[property.Name] = Value(property.Value, node, children);
        }

        node._children = [.. children];
        return node;
    }

    // Lists of nodes are stored as PyNode[] (what Nodes() hands out); other values as they are.
    private static object? Value(JsonElement value, PyNode owner, List<PyNode> children)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var child = Build(value, owner.Cell, owner.Line, owner.Column, owner);
                children.Add(child);
                return child;
            case JsonValueKind.Array:
                var items = new List<object?>();
                var allNodes = true;
                foreach (var item in value.EnumerateArray())
                {
                    var converted = Value(item, owner, children);
                    allNodes &= converted is PyNode;
                    items.Add(converted);
                }

                return allNodes ? items.Cast<PyNode>().ToArray() : items;
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                return value.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
