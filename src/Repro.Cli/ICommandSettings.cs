namespace Repro.Cli;

/// <summary>The parsed options of one command, as a value: it checks itself before the command runs.</summary>
public interface ICommandSettings
{
    /// <summary>The options' own consistency (ranges, flags that exclude each other), checked before any workspace is opened.</summary>
    ValidationResult Validate();
}
