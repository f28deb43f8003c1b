using System.CommandLine;
using Repro.Cli.Commands;
using Repro.Cli.Rendering;
using Repro.Model.Serialization;
using Repro.Platform.Diagnostics;

namespace Repro.Cli;

/// <summary>
/// Wires the commands and owns the one top-level catch: a <see cref="ReproException"/> is one red
/// line and its exit code; anything else is an internal error (stack trace with --verbose).
/// </summary>
public static class ReproApp
{
    /// <summary>ENOSPC as .NET reports it on Unix, and ERROR_DISK_FULL's HRESULT on Windows.</summary>
    private const int NoSpaceLeft = 28;
    private const int DiskFull = unchecked((int)0x80070070);

    /// <summary>Every command, by the name it answers to, in the order help lists them.</summary>
    public static IReadOnlyList<(string Name, Func<CliContext, Command> Create)> Commands { get; } =
    [
        ("init", InitCommand.Create),
        ("run", RunCommand.Create),
        ("show", ShowCommand.Create),
        ("runs", RunsCommand.Create),
        ("env", EnvCommand.Create),
        ("verify", VerifyCommand.Create),
        ("diff", DiffCommand.Create),
        ("seeds", SeedsCommand.Create),
        ("study", StudyCommand.Create),
        ("compare", CompareCommand.Create),
        ("audit", AuditCommand.Create),
        ("export", ExportCommand.Create),
        ("import", ImportCommand.Create),
        ("data", DataCommand.Create),
        ("remote", RemoteCommand.Create),
        ("pipeline", PipelineCommand.Create),
        ("leak", LeakCommand.Create),
        ("lint", LintCommand.Create),
        ("report", ReportCommand.Create),
        ("check", CheckCommand.Create),
        ("key", KeyCommand.Create),
        ("ui", UiCommand.Create),
        ("model", ModelCommand.Create),
        (Repro.Judging.Studies.Slurm.SlurmStudyRunner.TaskCommand, SlurmTaskCommand.Create),
    ];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        // Everything after the first "--" is the user's command, never parsed as repro options.
        var split = Array.IndexOf(args, "--");
        var own = split < 0 ? args : args[..split];
        var trailing = split < 0 ? [] : args[(split + 1)..];

        var context = new CliContext(stdout, stderr, trailing);
        var verbose = new Option<bool>("--verbose") { Description = "Show stack traces for internal errors.", Recursive = true };
        var root = new RootCommand("repro: record machine-learning runs (code, data, environment) and prove they reproduce. Reference: docs/index.md");

        // Only the command asked for is built when the first word names one: each command's
        // options cost start-up time (JIT) in every process otherwise. Help, a typo or no
        // command at all get the full tree, so listings and suggestions are unchanged.
        var named = own.Length > 0 ? Commands.FirstOrDefault(c => c.Name == own[0]).Create : null;
        foreach (var create in named is null ? Commands.Select(c => c.Create) : [named])
        {
            root.Subcommands.Add(create(context));
        }

        root.Options.Add(verbose);
        PhaseTimings.Mark("commands built");

        // No response files: '@last' is a run reference, not a file of arguments.
        var parse = root.Parse(own, new ParserConfiguration { ResponseFileTokenReplacer = null });
        PhaseTimings.Mark("arguments parsed");
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Terminal.Error(stderr, error.Message);
            }

            return (int)ExitCode.Usage;
        }

        if (trailing.Length > 0 && !CliContext.AcceptsTrailing(parse.CommandResult.Command.Name))
        {
            Terminal.Error(stderr, $"'{parse.CommandResult.Command.Name}' takes no command after '--'");
            return (int)ExitCode.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false, Output = stdout, Error = stderr });
        }
        catch (ReproException ex)
        {
            Terminal.Error(stderr, ex.Message);
            return (int)ex.Code;
        }
        catch (BadInputException ex)
        {
            // A file that is not text, or over one of the input limits (named with how to raise it).
            Terminal.Error(stderr, ex.Message);
            return (int)ExitCode.Usage;
        }
        catch (IOException ex) when (ex.HResult == NoSpaceLeft || ex.HResult == DiskFull)
        {
            // Blobs and pointer files are written through temp files: nothing half-written is left.
            Terminal.Error(stderr, $"no space left on the device ({ex.Message}); nothing was left half-written — free some space and run the command again");
            return (int)ExitCode.CannotExecute;
        }
        catch (OperationCanceledException)
        {
            Terminal.Error(stderr, "cancelled");
            return (int)ExitCode.Cancelled;
        }
        catch (Exception ex)
        {
            Terminal.Error(stderr, $"unexpected error: {ex.Message}");
            if (parse.GetValue(verbose))
            {
                stderr.WriteLine(ex.ToString());
            }
            else
            {
                stderr.WriteLine("(run again with --verbose for details; this is a bug in repro, please report it)");
            }

            return (int)ExitCode.Internal;
        }
    }
}
