namespace Repro;

/// <summary>
/// A problem the user can fix (missing file, bad config, unknown run). The CLI prints the
/// message as one line and exits with <see cref="Code"/>; anything else is a bug.
/// </summary>
public sealed class ReproException : Exception
{
    public ReproException(ExitCode code, string message)
        : base(message) => Code = code;

    public ReproException(ExitCode code, string message, Exception inner)
        : base(message, inner) => Code = code;

    public ReproException()
        : this(ExitCode.Usage, "invalid input")
    {
    }

    public ReproException(string message)
        : this(ExitCode.Usage, message)
    {
    }

    public ReproException(string message, Exception innerException)
        : this(ExitCode.Usage, message, innerException)
    {
    }

    public ExitCode Code { get; }

    public static ReproException Usage(string message) => new(ExitCode.Usage, message);

    public static ReproException CannotExecute(string message) => new(ExitCode.CannotExecute, message);
}
