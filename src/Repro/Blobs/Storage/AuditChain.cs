using System.Globalization;
using System.Text;
using Repro.Blobs.Hashing;
using Repro.Model;

namespace Repro.Blobs.Storage;

/// <summary>How a link's hash is computed: SHA-256 over its fields and the previous link's hash, one per line.</summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first link.</summary>
    public static string Genesis { get; } = new('0', 64);

    public static string Hash(long seq, DateTimeOffset at, string kind, string subject, string digest, string previous)
    {
        var text = string.Join(
            '\n',
            "repro-audit-v1",
            seq.ToString(CultureInfo.InvariantCulture),
            FormatTime(at),
            kind,
            subject,
            digest,
            previous);
        return Sha256Hasher.HashBytes(Encoding.UTF8.GetBytes(text));
    }

    public static AuditEntry Link(long seq, DateTimeOffset at, string kind, string subject, string digest, string previous) => new()
    {
        Seq = seq,
        At = at,
        Kind = kind,
        Subject = subject,
        Digest = digest,
        Previous = previous,
        Hash = Hash(seq, at, kind, subject, digest, previous),
    };

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
