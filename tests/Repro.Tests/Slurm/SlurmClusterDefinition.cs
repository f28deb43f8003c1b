namespace Repro.Tests.Slurm;

/// <summary>Every test that submits jobs shares one cluster, started once.</summary>
[CollectionDefinition(SlurmClusterFixture.Collection)]
public sealed class SlurmClusterDefinition : ICollectionFixture<SlurmClusterFixture>;
