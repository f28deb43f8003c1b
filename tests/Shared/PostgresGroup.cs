namespace Repro.Tests.Shared;

/// <summary>The test classes that share one <see cref="PostgresServer"/>, started once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresGroup : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
