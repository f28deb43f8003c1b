namespace Repro.Checks.Lint;

/// <summary>Which side of a split a value came from; a value mixing both has both flags.</summary>
[Flags]
public enum DataPart
{
    None = 0,
    Train = 1,
    Test = 2,

    /// <summary>A validation part or a cross-validation fold: held out, but meant for choosing.</summary>
    Validation = 4,
}
