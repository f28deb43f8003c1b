namespace Repro.Checks.Leakage;

/// <summary>What a normalised cell holds.</summary>
public enum CellKind : byte
{
    /// <summary>Empty, or a missing-value marker (NA, N/A, NaN, null, None).</summary>
    Missing = 0,
    Number = 1,
    Text = 2,
}
