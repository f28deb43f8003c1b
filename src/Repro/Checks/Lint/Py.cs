namespace Repro.Checks.Lint;

/// <summary>Small questions the rules ask about calls and constants.</summary>
public static class Py
{
    /// <summary>The value passed as keyword <paramref name="name"/>, or null.</summary>
    public static PyNode? Keyword(PyNode call, string name) =>
        call.Nodes("keywords").FirstOrDefault(k => k.Text("arg") == name)?.Node("value");

    /// <summary>A <c>**kwargs</c> in the call: any keyword might be in it, so "missing" cannot be claimed.</summary>
    public static bool HasSplat(PyNode call) => call.Nodes("keywords").Any(k => k.Text("arg") is null);

    public static IReadOnlyList<PyNode> Args(PyNode call) => call.Nodes("args");

    public static PyNode? FirstArg(PyNode call) => call.Nodes("args") is { Count: > 0 } args ? args[0] : null;

    public static bool IsTrue(PyNode? node) => node?.ConstantValue is true;

    public static bool IsNone(PyNode? node) => node is not null && node.Is("Constant") && node.ConstantValue is null;

    public static string? String(PyNode? node) => node?.ConstantValue as string;

    public static double? Number(PyNode? node) => node?.ConstantValue is double d ? d : null;

    /// <summary>The last segment of a dotted name: "sklearn.svm.SVC" → "SVC".</summary>
    public static string Last(string qualified)
    {
        var dot = qualified.LastIndexOf('.');
        return dot < 0 ? qualified : qualified[(dot + 1)..];
    }

    /// <summary>The method name of a call <c>x.m(...)</c>, or null when the call is not on an attribute.</summary>
    public static string? Method(PyNode call) => call.Node("func") is { } f && f.Is("Attribute") ? f.Text("attr") : null;

    /// <summary>Short source-like text of a simple expression (df["a"].mean), "…" for anything else.</summary>
    public static string Render(PyNode? node) => node switch
    {
        null => "…",
        _ when node.Is("Name") => node.Text("id") ?? "…",
        _ when node.Is("Attribute") => $"{Render(node.Node("value"))}.{node.Text("attr")}",
        _ when node.Is("Call") => $"{Render(node.Node("func"))}()",
        _ when node.Is("Subscript") && node.Node("slice") is { } slice && String(slice.Is("Index") ? slice.Node("value") : slice) is { } key => $"{Render(node.Node("value"))}[\"{key}\"]",
        _ when node.Is("Subscript") => $"{Render(node.Node("value"))}[…]",
        _ => "…",
    };

    public static PyNode? Receiver(PyNode call) => call.Node("func") is { } f && f.Is("Attribute") ? f.Node("value") : null;
}
