namespace Repro.Bench;

/// <summary>The store engines the store-bound benchmarks run on.</summary>
public enum BenchStore
{
    Sqlite,
    Postgres,
}
