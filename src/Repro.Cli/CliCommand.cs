namespace Repro.Cli;

/// <summary>
/// A command of the CLI: its settings are validated, then it runs with the context it was made
/// with. System.CommandLine only parses; what the command does reads the settings record alone.
/// </summary>
public abstract class CliCommand<TSettings>
    where TSettings : ICommandSettings
{
    protected CliCommand(CliContext context) => Context = context;

    protected CliContext Context { get; }

    /// <summary>Validates <paramref name="settings"/> (a problem is one line and exit 2), then runs the command.</summary>
    public Task<int> RunAsync(TSettings settings, CancellationToken cancellationToken)
    {
        var validation = settings.Validate();
        return validation.Successful ? ExecuteAsync(settings, cancellationToken) : throw ReproException.Usage(validation.Message!);
    }

    protected abstract Task<int> ExecuteAsync(TSettings settings, CancellationToken cancellationToken);
}
