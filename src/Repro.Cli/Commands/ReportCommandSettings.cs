namespace Repro.Cli.Commands;

/// <summary>What <c>repro report</c> reports on, in which format, where, and with which signing key.</summary>
public sealed record ReportCommandSettings : ICommandSettings
{
    public required string Subject { get; init; }

    /// <summary>The file to write, as given; null prints.</summary>
    public string? Output { get; init; }

    /// <summary>html, md or json; null lets the extension of <see cref="Output"/> decide.</summary>
    public string? Format { get; init; }

    /// <summary>The private key file to sign with.</summary>
    public string? Sign { get; init; }

    public ValidationResult Validate() => ValidationResult.Success;
}
