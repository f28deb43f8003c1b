namespace Repro.Model.Serialization;

/// <summary>
/// A file that is not what its reader can take (not UTF-8 text, a NUL byte in text, over a limit).
/// It is a <see cref="FormatException"/>, so every reader that turns a malformed file into its own
/// error (a run's metrics into a warning) handles it too; anywhere else the CLI prints it as one
/// line and exits 2. Not sealed: <see cref="InputLimitException"/> is the kind that names a limit.
/// </summary>
public class BadInputException : FormatException
{
    public BadInputException()
    {
    }

    public BadInputException(string message)
        : base(message)
    {
    }

    public BadInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
