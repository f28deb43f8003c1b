using Repro.Model.Findings;

namespace Repro.Checks.Lint;

/// <summary>
/// One program under check — a script, or a notebook's code cells in order — with its trees, the
/// resolved names, and the findings so far. Checks read it and add findings.
/// </summary>
public sealed class LintContext
{
    private readonly List<Finding> _findings = [];

    public LintContext(string path, IReadOnlyList<PyNode> modules)
    {
        Path = path;
        Modules = modules;
        Names = new NameResolver(modules);
        Nodes = modules.SelectMany(m => m.Walk()).ToList();
        Calls = Nodes.Where(n => n.Is("Call")).Select(n => (n, Names.Callee(n))).ToList();
    }

    public string Path { get; }

    /// <summary>The module trees, in order (one per notebook cell).</summary>
    public IReadOnlyList<PyNode> Modules { get; }

    public NameResolver Names { get; }

    /// <summary>Every node of every module, in source order.</summary>
    public IReadOnlyList<PyNode> Nodes { get; }

    /// <summary>Every call with the qualified name of what it calls (null when unresolved).</summary>
    public IReadOnlyList<(PyNode Call, string? Callee)> Calls { get; }

    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>The statements of all modules in order: a notebook is one program run cell after cell.</summary>
    public IEnumerable<PyNode> Statements => Modules.SelectMany(m => m.Nodes("body"));

    public IEnumerable<PyNode> CallsTo(Func<string, bool> callee) => Calls.Where(c => c.Callee is not null && callee(c.Callee)).Select(c => c.Call);

    public bool AnyCall(Func<string, bool> callee) => Calls.Any(c => c.Callee is not null && callee(c.Callee));

    public void Add(RuleDescriptor rule, PyNode at, string message) => Add(rule, at, message, []);

    /// <summary>Adds a finding at <paramref name="at"/> with the path behind it, cause first.</summary>
    public void Add(RuleDescriptor rule, PyNode at, string message, IReadOnlyList<(PyNode Node, string Note)> flow)
    {
        if (_findings.Any(f => f.RuleId == rule.Id && f.Line == at.Line && f.Cell == at.Cell && f.Message == message))
        {
            return;
        }

        _findings.Add(new Finding
        {
            RuleId = rule.Id,
            Severity = rule.DefaultSeverity,
            Message = message,
            Path = Path,
            Line = at.Line,
            Column = at.Column,
            Cell = at.Cell,
            Taxonomy = rule.Taxonomy,
            Flow = flow.Select(step => new FlowStep { Path = Path, Line = step.Node.Line, Column = step.Node.Column, Cell = step.Node.Cell, Note = step.Note }).ToList(),
        });
    }
}
