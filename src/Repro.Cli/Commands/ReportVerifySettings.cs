namespace Repro.Cli.Commands;

/// <summary>The signed report <c>repro report verify</c> checks, and the signer's public key.</summary>
public sealed record ReportVerifySettings : ICommandSettings
{
    public required string File { get; init; }

    public required string Key { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
