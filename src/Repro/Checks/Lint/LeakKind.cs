namespace Repro.Checks.Lint;

/// <summary>The kind of step that leaks when fitted before a split: LEAK001, LEAK002, LEAK003.</summary>
public enum LeakKind
{
    Preprocessing,
    FeatureSelection,
    Oversampling,
}
