namespace Repro.Cli.Tests;

/// <summary>
/// Runs the repro app in this process, as <see cref="ReproProcess"/> runs the binary: the given
/// arguments, environment (this process's, with NO_COLOR set and REPRO_SEED removed, then the
/// overrides), working folder and stdin, and returns the exit code with everything printed.
/// Nothing process-wide is read or changed, so tests run side by side.
/// </summary>
public static class CliRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static Task<ReproProcess.Result> RunAsync(string workingDirectory, params string[] args) => RunWithAsync(workingDirectory, null, null, args);

    public static async Task<ReproProcess.Result> RunWithAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, string? stdin, params string[] args)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        variables["NO_COLOR"] = "1";
        variables.Remove("REPRO_SEED");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                variables.Remove(key);
            }
            else
            {
                variables[key] = value;
            }
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var interrupts = new Interrupts();
        var context = new CliContext(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), variables, workingDirectory)
        {
            In = new StringReader(stdin ?? string.Empty),
            Interrupts = interrupts,

            // A Slurm node starts the built repro, as it would from the native program.
            Launcher = ReproProcess.Executable is { } native ? [native] : ["dotnet", ReproProcess.Dll],
        };
        using var timeout = new CancellationTokenSource(Timeout);

        // Off the test's synchronisation context, as in a process of its own.
        var exit = await Task.Run(() => ReproApp.RunAsync(args, context, timeout.Token));
        return new ReproProcess.Result(exit, stdout.ToString(), stderr.ToString());
    }
}
