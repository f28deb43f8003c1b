namespace Repro.Cli;

/// <summary>What a command's settings say of themselves before anything runs: fine, or the one line telling the user what to fix (exit 2).</summary>
public sealed record ValidationResult
{
    private ValidationResult(string? message) => Message = message;

    public static ValidationResult Success { get; } = new((string?)null);

    public bool Successful => Message is null;

    /// <summary>The problem, worded for the user; null when the settings are valid.</summary>
    public string? Message { get; }

    public static ValidationResult Error(string message) => new(message);

    /// <summary>The first problem of several checks, in order; success when none has one.</summary>
    public static ValidationResult FirstOf(params ReadOnlySpan<ValidationResult> checks)
    {
        foreach (var check in checks)
        {
            if (!check.Successful)
            {
                return check;
            }
        }

        return Success;
    }
}
