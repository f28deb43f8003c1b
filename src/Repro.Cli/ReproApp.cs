using System.CommandLine;
using Repro.Cli.Commands;
using Repro.Cli.Rendering;
using Repro.Platform.Diagnostics;

namespace Repro.Cli;

/// <summary>
/// Wires the commands and owns the one top-level catch, which hands every error to
/// <see cref="ErrorReport"/>: a <see cref="ReproException"/> is one red line and the exit code of
/// its kind; anything else is an internal error (stack trace with --verbose).
/// </summary>
public static class ReproApp
{
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
        (Repro.Execution.SlurmJobScript.TaskCommand, SlurmTaskCommand.Create),
    ];

    /// <summary>Runs one command line in <paramref name="host"/> (the process, or a test's in-process host) and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext host, CancellationToken cancellationToken = default)
    {
        Adapters.Register();

        // Everything after the first "--" is the user's command, never parsed as repro options.
        var split = Array.IndexOf(args, "--");
        var own = split < 0 ? args : args[..split];
        var trailing = split < 0 ? [] : args[(split + 1)..];

        var context = host with { Trailing = trailing };
        var stdout = context.Out;
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
                Terminal.Error(context, error.Message);
            }

            return (int)ExitCode.Usage;
        }

        if (trailing.Length > 0 && !CliContext.AcceptsTrailing(parse.CommandResult.Command.Name))
        {
            Terminal.Error(context, $"'{parse.CommandResult.Command.Name}' takes no command after '--'");
            return (int)ExitCode.Usage;
        }

        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false, Output = stdout, Error = context.Error }, cancellationToken);
        }
        catch (Exception ex)
        {
            return ErrorReport.Write(context, ex, parse.GetValue(verbose));
        }
    }
}
