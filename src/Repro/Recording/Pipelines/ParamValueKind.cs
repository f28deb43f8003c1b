namespace Repro.Recording.Pipelines;

/// <summary>The YAML/JSON types a parameter value can have.</summary>
public enum ParamValueKind
{
    Null,
    Bool,
    Int,
    Float,
    String,
    List,
    Map,
}
