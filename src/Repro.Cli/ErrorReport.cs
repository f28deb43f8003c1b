using Repro.Cli.Rendering;
using Repro.Model.Serialization;

namespace Repro.Cli;

/// <summary>
/// The one place an error becomes what the user sees: its exit code and its lines on stderr. The
/// library says what kind of problem it met (<see cref="ErrorKind"/>); how that ends the process
/// is decided here.
/// </summary>
public static class ErrorReport
{
    /// <summary>ENOSPC as .NET reports it on Unix, and ERROR_DISK_FULL's HRESULT on Windows.</summary>
    private const int NoSpaceLeft = 28;
    private const int DiskFull = unchecked((int)0x80070070);

    /// <summary>The exit code of each kind of problem the user can fix (docs/exit-codes.md).</summary>
    public static ExitCode ExitCodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidInput or ErrorKind.NotFound or ErrorKind.Conflict => ExitCode.Usage,
        ErrorKind.Unavailable or ErrorKind.Io => ExitCode.CannotExecute,
        ErrorKind.Cancelled => ExitCode.Cancelled,
        _ => ExitCode.Internal,
    };

    /// <summary>Writes <paramref name="error"/> to the context's stderr and returns the exit code it ends the command with.</summary>
    public static int Write(CliContext context, Exception error, bool verbose)
    {
        switch (error)
        {
            case ReproException problem:
                Terminal.Error(context, problem.Message);
                return (int)ExitCodeOf(problem.Kind);

            case BadInputException bad:
                // A file that is not text, or over one of the input limits (named with how to raise it).
                Terminal.Error(context, bad.Message);
                return (int)ExitCode.Usage;

            case IOException full when full.HResult is NoSpaceLeft or DiskFull:
                // Blobs and pointer files are written through temp files: nothing half-written is left.
                Terminal.Error(context, $"no space left on the device ({full.Message}); nothing was left half-written — free some space and run the command again");
                return (int)ExitCode.CannotExecute;

            case OperationCanceledException:
                Terminal.Error(context, "cancelled");
                return (int)ExitCode.Cancelled;

            default:
                Terminal.Error(context, $"unexpected error: {error.Message}");
                context.Error.WriteLine(verbose ? error.ToString() : "(run again with --verbose for details; this is a bug in repro, please report it)");
                return (int)ExitCode.Internal;
        }
    }
}
