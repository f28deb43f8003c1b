namespace Repro.Checks.Lint;

/// <summary>
/// Turns expressions into the fully-qualified names of what they refer to, through imports and
/// aliases (<c>np.random.seed</c> → <c>numpy.random.seed</c>) and through variables holding an
/// instance (<c>kf = KFold(...)</c>; <c>kf.split</c> → <c>sklearn.model_selection.KFold().split</c>).
/// A call is written with "()" after what was called. Names it cannot resolve give null, so a rule
/// never matches on a look-alike local name.
/// </summary>
public sealed class NameResolver
{
    private static readonly HashSet<string> Builtins = new(StringComparer.Ordinal)
    {
        "sorted", "len", "set", "frozenset", "list", "tuple", "print", "open", "int", "float", "str", "hash", "sum", "max", "min",
        "any", "all", "range", "enumerate", "zip", "dict", "map", "filter", "reversed", "iter", "next", "abs", "round",
    };

    private readonly Dictionary<string, string> _imports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _instances = new(StringComparer.Ordinal);
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<PyNode, string?> _callees = new(ReferenceEqualityComparer.Instance);

    public NameResolver(IEnumerable<PyNode> modules)
    {
        var all = modules.SelectMany(m => m.Walk()).ToList();
        foreach (var node in all)
        {
            if (node.Is("Import"))
            {
                foreach (var alias in node.Nodes("names"))
                {
                    var name = alias.Text("name") ?? string.Empty;
                    var asName = alias.Text("asname");
                    Bind(asName ?? name.Split('.')[0], asName is null ? name.Split('.')[0] : name);
                }
            }
            else if (node.Is("ImportFrom"))
            {
                var module = node.Text("module") ?? string.Empty;
                var level = node.Number("level") ?? 0;
                if (level > 0)
                {
                    module = "<local>." + module;
                }

                foreach (var alias in node.Nodes("names"))
                {
                    var name = alias.Text("name") ?? string.Empty;
                    if (name != "*")
                    {
                        Bind(alias.Text("asname") ?? name, module.Length == 0 ? name : $"{module}.{name}");
                    }
                }
            }
        }

        // Variables holding one known instance; a variable assigned two different things is unknown.
        foreach (var node in all.Where(n => n.Is("Assign")))
        {
            var targets = node.Nodes("targets");
            if (targets.Count == 1 && targets[0].Is("Name") && targets[0].Text("id") is { } name && !_imports.ContainsKey(name))
            {
                var value = node.Node("value");
                var qualified = value is not null && value.Is("Call") ? Qualify(value) : null;
                _instances[name] = _instances.TryGetValue(name, out var earlier) && earlier != qualified ? null : qualified;
            }
        }

        foreach (var node in all)
        {
            if (node.Is("Name") && node.Parent is { } parent && (parent.Is("Assign") || parent.Is("For") || parent.Is("AugAssign")) && parent.Node("value") != node && parent.Node("iter") != node)
            {
                _bound.Add(node.Text("id")!);
            }
            else if (node.Is("FunctionDef") || node.Is("ClassDef"))
            {
                _bound.Add(node.Text("name")!);
            }
        }
    }

    /// <summary>Whether a module (or something in it) is imported, as written: "torch", "tensorflow".</summary>
    public bool Imports(string module) => _written.Any(q => q == module || q.StartsWith(module + ".", StringComparison.Ordinal));

    public string? Qualify(PyNode? expression)
    {
        if (expression is null)
        {
            return null;
        }

        switch (expression.Type)
        {
            case "Name":
                var id = expression.Text("id")!;
                if (_imports.TryGetValue(id, out var imported))
                {
                    return imported;
                }

                if (_instances.TryGetValue(id, out var instance))
                {
                    return instance;
                }

                // Builtins (sorted, len, open…) unless the script rebinds them.
                return Builtins.Contains(id) && !_bound.Contains(id) ? "builtins." + id : null;
            case "Attribute":
                var owner = Qualify(expression.Node("value"));
                return owner is null ? null : $"{owner}.{expression.Text("attr")}";
            case "Call":
                var callee = Qualify(expression.Node("func"));
                return callee is null ? null : callee + "()";
            default:
                return null;
        }
    }

    /// <summary>The qualified name of what a call calls (without the trailing "()"); remembered per call.</summary>
    public string? Callee(PyNode call)
    {
        if (!_callees.TryGetValue(call, out var callee))
        {
            callee = Qualify(call.Node("func"));
            _callees[call] = callee;
        }

        return callee;
    }

    private void Bind(string local, string qualified)
    {
        // The first import of a name wins; scripts rarely rebind an alias to something else.
        _written.Add(qualified);
        _imports.TryAdd(local, qualified);
    }
}
