namespace Repro.Model;

/// <summary>The interpreter the command used and every distribution importable from it.</summary>
public sealed record PythonInfo
{
    public required string Executable { get; init; }

    public string? Version { get; init; }

    public string? Implementation { get; init; }

    public IReadOnlyList<string> SysPath { get; init; } = [];

    /// <summary>Normalised distribution name to version, first on sys.path wins.</summary>
    public IReadOnlyDictionary<string, string> Packages { get; init; } = new Dictionary<string, string>();
}
