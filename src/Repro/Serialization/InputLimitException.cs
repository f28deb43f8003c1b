using System.Globalization;

namespace Repro.Serialization;

/// <summary>
/// A file (or request) over one of repro's input limits. It is a <see cref="FormatException"/>, so
/// every reader that already turns a malformed file into its own clear error (a run's metrics into
/// a warning) handles it too; anywhere else the CLI prints it as one line and exits 2.
/// </summary>
public sealed class InputLimitException : FormatException
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
