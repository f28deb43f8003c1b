using Repro.Model.Serialization;

namespace Repro.Checks.Lint;

/// <summary>
/// How much of a Jupyter notebook repro reads: notebooks carry their outputs (plots as base64), so
/// they may be larger than other JSON; nesting and numbers are held to <see cref="JsonLimits"/>.
/// Documented in docs/limits.md.
/// </summary>
public static class NotebookLimits
{
    /// <summary>Bytes in one .ipynb file.</summary>
    public const long DefaultMaxBytes = 64 << 20;

    /// <summary>Cells in one notebook.</summary>
    public const long DefaultMaxCells = 100_000;

    public static InputLimit MaxBytes => InputLimit.Of("NOTEBOOK_MAX_BYTES", DefaultMaxBytes, "bytes");

    public static InputLimit MaxCells => InputLimit.Of("NOTEBOOK_MAX_CELLS", DefaultMaxCells, "cells");
}
