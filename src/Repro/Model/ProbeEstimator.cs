namespace Repro.Model;

/// <summary>
/// An estimator that was fitted: its class, its full <c>get_params()</c> (as text), and which of
/// them were left at the library's default (read from the signature of its <c>__init__</c>).
/// </summary>
public sealed record ProbeEstimator
{
    /// <summary>Qualified class name (<c>sklearn.neural_network._multilayer_perceptron.MLPClassifier</c>).</summary>
    public required string Class { get; init; }

    /// <summary>Short class name (<c>MLPClassifier</c>).</summary>
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Params { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The parameters left at their default.</summary>
    public IReadOnlyList<string> Defaults { get; init; } = [];

    /// <summary>Every default of the class's <c>__init__</c>, as this library version defines it.</summary>
    public IReadOnlyDictionary<string, string> DefaultValues { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}
