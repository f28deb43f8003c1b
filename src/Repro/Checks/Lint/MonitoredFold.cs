using System.Collections.Immutable;

namespace Repro.Checks.Lint;

/// <summary>A fit that watches a held-out fold named as test data (early stopping, checkpoint choice): the model it trains, and the data watched.</summary>
public sealed record MonitoredFold(PyNode Call, string Keyword, string Model, ImmutableHashSet<int> Atoms);
