namespace Repro.Cli.Commands;

/// <summary>The model version <c>repro model show</c> (NAME, NAME@ALIAS or NAME/VERSION) or <c>list</c> prints, and how.</summary>
public sealed record ModelShowSettings : ICommandSettings
{
    /// <summary>The model version; empty for <c>model list</c>.</summary>
    public string Reference { get; init; } = string.Empty;

    public bool Json { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
