namespace Repro.Blobs.Storage.Search;

/// <summary>What the left-hand side of a filter clause names (MLflow's identifier types).</summary>
public enum FilterEntity
{
    Metric,
    Param,
    Tag,
    Attribute,
}
