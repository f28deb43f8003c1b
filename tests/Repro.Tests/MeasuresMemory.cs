namespace Repro.Tests;

/// <summary>Tests that measure the managed heap run alone, after every parallel test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresMemory
{
    public const string Name = "Measures memory";
}
