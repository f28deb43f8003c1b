namespace Repro.Cli.Commands;

/// <summary>Where <c>repro ui</c> listens, and the token requests must carry.</summary>
public sealed record UiSettings : ICommandSettings
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5000;

    /// <summary>The bearer token given; null generates one when listening beyond loopback.</summary>
    public string? Token { get; init; }

    public ValidationResult Validate() => Token is { Length: < 16 }
        ? ValidationResult.Error("--token must be at least 16 characters")
        : ValidationResult.Success;
}
