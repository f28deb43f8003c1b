using Repro.Checks.Audit;

namespace Repro.Server.Ui;

/// <summary>A full <c>repro audit verify</c> the server made, and when: the audit page shows the last one with its time rather than pretending it is current.</summary>
internal sealed record AuditCheck(AuditResult Result, DateTimeOffset At);
