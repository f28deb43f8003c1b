namespace Repro.Checks.Audit;

/// <summary>Something the audit found altered or missing: which link (if any), which subject, what is wrong.</summary>
public sealed record AuditProblem(long? Seq, string Subject, string Problem);
