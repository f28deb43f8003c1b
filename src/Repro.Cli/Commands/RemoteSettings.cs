namespace Repro.Cli.Commands;

/// <summary>The remote <c>repro remote add</c> or <c>remove</c> names (and, to add, its URL).</summary>
public sealed record RemoteSettings : ICommandSettings
{
    public string Name { get; init; } = string.Empty;

    public string Url { get; init; } = string.Empty;

    /// <summary><c>remote add --default</c>.</summary>
    public bool MakeDefault { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
