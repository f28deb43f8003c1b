namespace Repro;

/// <summary>
/// A problem the user can fix (missing file, bad config, unknown run). Its <see cref="Kind"/> says
/// what went wrong; the CLI prints the message as one line and maps the kind to an exit code in
/// one place. Anything else is a bug.
/// </summary>
public sealed class ReproException : Exception
{
    public ReproException(ErrorKind kind, string message)
        : base(message) => Kind = kind;

    public ReproException(ErrorKind kind, string message, Exception inner)
        : base(message, inner) => Kind = kind;

    /// <summary>With the exit code the problem used to be thrown with; the kind is the one that code stands for.</summary>
    public ReproException(ExitCode code, string message)
        : this(KindOf(code), message)
    {
    }

    /// <inheritdoc cref="ReproException(ExitCode, string)"/>
    public ReproException(ExitCode code, string message, Exception inner)
        : this(KindOf(code), message, inner)
    {
    }

    public ReproException()
        : this(ErrorKind.InvalidInput, "invalid input")
    {
    }

    public ReproException(string message)
        : this(ErrorKind.InvalidInput, message)
    {
    }

    public ReproException(string message, Exception innerException)
        : this(ErrorKind.InvalidInput, message, innerException)
    {
    }

    public ErrorKind Kind { get; }

    /// <summary>
    /// The exit code of <see cref="Kind"/>, for the library's own tests, which still assert it; the
    /// CLI maps the kind itself (Repro.Cli.ErrorReport), and a CLI test keeps the two in step.
    /// </summary>
    public ExitCode Code => Kind switch
    {
        ErrorKind.InvalidInput or ErrorKind.NotFound or ErrorKind.Conflict => ExitCode.Usage,
        ErrorKind.Cancelled => ExitCode.Cancelled,
        _ => ExitCode.CannotExecute,
    };

    /// <summary>Invalid input (named after the exit code, 2, it has always had).</summary>
    public static ReproException Usage(string message) => new(ErrorKind.InvalidInput, message);

    /// <summary>It cannot be done here (named after the exit code, 3, it has always had).</summary>
    public static ReproException CannotExecute(string message) => new(ErrorKind.Unavailable, message);

    public static ReproException NotFound(string message) => new(ErrorKind.NotFound, message);

    public static ReproException Conflict(string message) => new(ErrorKind.Conflict, message);

    public static ReproException Io(string message) => new(ErrorKind.Io, message);

    private static ErrorKind KindOf(ExitCode code) => code switch
    {
        ExitCode.Usage => ErrorKind.InvalidInput,
        ExitCode.Cancelled => ErrorKind.Cancelled,
        _ => ErrorKind.Unavailable,
    };
}
