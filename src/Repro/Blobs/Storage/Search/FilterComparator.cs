namespace Repro.Blobs.Storage.Search;

/// <summary>The comparators of MLflow's filter grammar; which are allowed depends on the entity.</summary>
public enum FilterComparator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Like,
    ILike,
    In,
    NotIn,
}
