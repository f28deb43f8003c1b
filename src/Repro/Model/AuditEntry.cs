namespace Repro.Model;

/// <summary>
/// One link of the append-only audit log: what was recorded (kind, subject id, the SHA-256 of
/// its stored bytes), when, and the hash of the previous link, so that changing, removing or
/// reordering anything breaks the chain from that point on.
/// </summary>
public sealed record AuditEntry
{
    public required long Seq { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>"run", "verification" (a re-run), "study", "verdict" (a verification report), "report", "export", "import".</summary>
    public required string Kind { get; init; }

    public required string Subject { get; init; }

    /// <summary>SHA-256 of the subject's stored bytes (a manifest, a verification report, a report file).</summary>
    public required string Digest { get; init; }

    public required string Previous { get; init; }

    public required string Hash { get; init; }
}
