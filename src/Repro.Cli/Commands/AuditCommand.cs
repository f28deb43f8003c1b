using System.CommandLine;

namespace Repro.Cli.Commands;

/// <summary><c>repro audit log|verify</c>: the append-only, hash-chained log of every run, verification, study and report.</summary>
public static class AuditCommand
{
    public static Command Create(CliContext context) =>
        new("audit", "The tamper-evident log of runs, verifications, studies and reports. Reference: docs/checks.md") { AuditLogCommand.Create(context), AuditVerifyCommand.Create(context) };
}
