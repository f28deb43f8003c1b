namespace Repro;

/// <summary>
/// What kind of problem a <see cref="ReproException"/> reports, so that a front end (the CLI, the
/// server) decides how to show it and what it exits with; the library says what went wrong, not
/// how a process ends.
/// </summary>
public enum ErrorKind
{
    /// <summary>An argument, option or file's content is not valid.</summary>
    InvalidInput,

    /// <summary>Something named does not exist: a run, a file, a remote, a model.</summary>
    NotFound,

    /// <summary>The request contradicts what is already there (a name taken, a file that differs).</summary>
    Conflict,

    /// <summary>It cannot be done here: a program, engine, server or remote cannot be started, reached or used.</summary>
    Unavailable,

    /// <summary>Reading or writing files failed.</summary>
    Io,

    /// <summary>Stopped on the user's request before it finished.</summary>
    Cancelled,
}
