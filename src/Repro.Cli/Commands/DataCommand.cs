using System.CommandLine;

namespace Repro.Cli.Commands;

/// <summary><c>repro data ...</c>: version data files and folders with small pointer files, and move their bytes to and from remotes.</summary>
public static class DataCommand
{
    public static Command Create(CliContext context) => new("data", "Version data: pointer files in git, bytes in the cache and on remotes. Reference: docs/data.md")
    {
        DataAddCommand.Create(context),
        DataStatusCommand.Create(context),
        DataCheckoutCommand.Create(context),
        DataTransferCommand.Create(context, push: true),
        DataTransferCommand.Create(context, push: false),
        DataGcCommand.Create(context),
        DataFsckCommand.Create(context),
    };
}
