using System.Globalization;

namespace Repro.Model.Serialization;

/// <summary>
/// A file (or request) over one of repro's input limits: a <see cref="BadInputException"/> that
/// names the limit and the environment variable that raises it.
/// </summary>
public sealed class InputLimitException : BadInputException
{
    public InputLimitException(string source, string problem, InputLimit limit)
        : base(Describe(source, problem, limit))
    {
        InputPath = source;
        Limit = limit;
    }

    public InputLimitException()
        : base("over an input limit")
    {
        InputPath = string.Empty;
        Limit = new InputLimit("UNKNOWN", 0, string.Empty);
    }

    public InputLimitException(string message)
        : base(message)
    {
        InputPath = string.Empty;
        Limit = new InputLimit("UNKNOWN", 0, string.Empty);
    }

    public InputLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
        InputPath = string.Empty;
        Limit = new InputLimit("UNKNOWN", 0, string.Empty);
    }

    /// <summary>The file (or request) that was refused.</summary>
    public string InputPath { get; }

    /// <summary>The limit it went over.</summary>
    public InputLimit Limit { get; }

    private static string Describe(string source, string problem, InputLimit limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}: {problem}, over the limit of {limit.Value} {limit.Unit}; set {limit.Variable}=N to raise it (docs/limits.md)");
}
