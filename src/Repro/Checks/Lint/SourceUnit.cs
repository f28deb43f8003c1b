namespace Repro.Checks.Lint;

/// <summary>One piece of Python parsed on its own: a whole script, or one notebook code cell.</summary>
public sealed record SourceUnit
{
    /// <summary>The file as findings name it (relative to where lint ran, '/' separators).</summary>
    public required string Path { get; init; }

    /// <summary>1-based code cell number for a notebook, null for a script.</summary>
    public int? Cell { get; init; }

    /// <summary>The code as parsed (IPython magics already blanked out).</summary>
    public required string Text { get; init; }

    /// <summary>
    /// A script's bytes as read, when the interpreter is to decode them itself (its BOM or coding
    /// cookie decides, as when Python runs the file); null to parse <see cref="Text"/>.
    /// </summary>
    public ReadOnlyMemory<byte>? Bytes { get; init; }
}
