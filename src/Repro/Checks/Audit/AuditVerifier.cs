using System.Globalization;
using System.Text;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model;

namespace Repro.Checks.Audit;

/// <summary>
/// Re-checks the audit log from the first link: sequence numbers without gaps, each link's hash
/// recomputed, each link pointing at the one before, each recorded subject still stored with the
/// digest it was logged with (its bytes re-hashed), the queryable metric rows agreeing with the
/// manifests, and every stored run present in the log.
/// </summary>
public static class AuditVerifier
{
    private static readonly HashSet<string> RunKinds = new(StringComparer.Ordinal) { "run", "verification", "study", "tracked" };

    public static async Task<AuditResult> VerifyAsync(IRunStore store, CancellationToken cancellationToken)
    {
        // Runs first, then the log: a run is saved with its link in one transaction, so every run
        // listed has its link in the log read after; a run saved in between is not a false alarm.
        var listed = await store.ListAsync(new RunQuery { Limit = 0 }, cancellationToken);
        var entries = await store.ReadAuditAsync(cancellationToken);
        var problems = new List<AuditProblem>();
        var previous = AuditChain.Genesis;
        long expected = 1;
        var logged = new HashSet<string>(StringComparer.Ordinal);
        var runs = new Dictionary<string, StoredRun>(StringComparer.Ordinal); // read once, checked twice
        foreach (var entry in entries)
        {
            if (entry.Seq != expected)
            {
                problems.Add(new AuditProblem(entry.Seq, entry.Subject, entry.Seq > expected
                    ? Invariant($"entries {expected}–{entry.Seq - 1} are missing before entry {entry.Seq}")
                    : Invariant($"entry {entry.Seq} is out of order (expected {expected})")));
            }

            if (entry.Previous != previous)
            {
                problems.Add(new AuditProblem(entry.Seq, entry.Subject, Invariant($"entry {entry.Seq} does not follow the entry before it (previous hash {Short(entry.Previous)}, expected {Short(previous)})")));
            }

            var hash = AuditChain.Hash(entry.Seq, entry.At, entry.Kind, entry.Subject, entry.Digest, entry.Previous);
            if (hash != entry.Hash)
            {
                problems.Add(new AuditProblem(entry.Seq, entry.Subject, Invariant($"entry {entry.Seq} was altered: its hash is {Short(entry.Hash)}, its fields hash to {Short(hash)}")));
            }

            await CheckSubjectAsync(store, entry, runs, problems, cancellationToken);
            if (RunKinds.Contains(entry.Kind))
            {
                logged.Add(entry.Subject);
            }

            previous = entry.Hash;
            expected = entry.Seq + 1;
        }

        foreach (var run in listed)
        {
            // A live MLflow run is logged when it is sealed, not before.
            if (!logged.Contains(run.Id) && run.Status != RunStatus.Running)
            {
                problems.Add(new AuditProblem(null, run.Id, $"run {run.Id} is in the store but not in the audit log"));
                continue;
            }

            if (!runs.TryGetValue(run.Id, out var stored))
            {
                continue;
            }

            foreach (var (key, value) in stored.Manifest.Metrics.Values)
            {
                var row = run.Metrics.TryGetValue(key, out var v) ? v : (double?)null;
                if (row is null || !(row.Value.Equals(value) || (double.IsNaN(row.Value) && double.IsNaN(value))))
                {
                    problems.Add(new AuditProblem(null, run.Id, Invariant($"run {run.Id}: metric {key} is {value:R} in the manifest but {(row is null ? "missing" : row.Value.ToString("R", CultureInfo.InvariantCulture))} in the metrics table")));
                }
            }

            foreach (var key in run.Metrics.Keys.Where(k => !stored.Manifest.Metrics.Values.ContainsKey(k)))
            {
                problems.Add(new AuditProblem(null, run.Id, $"run {run.Id}: metric {key} is in the metrics table but not in the manifest"));
            }
        }

        var ordered = problems.OrderBy(p => p.Seq ?? long.MaxValue).ToList();
        return new AuditResult
        {
            Entries = entries.Count,
            Intact = ordered.Count == 0,
            Head = entries.Count > 0 ? entries[^1].Hash : null,
            FirstBroken = ordered.FirstOrDefault(),
            Problems = ordered,
        };
    }

    private static async Task CheckSubjectAsync(IRunStore store, AuditEntry entry, Dictionary<string, StoredRun> runs, List<AuditProblem> problems, CancellationToken cancellationToken)
    {
        string? json;
        string? digest;
        if (RunKinds.Contains(entry.Kind))
        {
            var run = runs.GetValueOrDefault(entry.Subject) ?? await store.GetAsync(entry.Subject, cancellationToken);
            if (run is not null)
            {
                runs[entry.Subject] = run;
            }

            (json, digest) = (run?.Json, run?.Digest);
        }
        else if (entry.Kind == "verdict")
        {
            var verification = await store.GetVerificationAsync(entry.Subject, cancellationToken);
            (json, digest) = (verification?.Json, verification?.Digest);
        }
        else
        {
            return; // reports and bundles are files outside the store: the log keeps their digest for whoever holds them
        }

        if (json is null)
        {
            problems.Add(new AuditProblem(entry.Seq, entry.Subject, $"entry {entry.Seq}: {entry.Kind} {entry.Subject} is missing from the store"));
            return;
        }

        var actual = Sha256Hasher.HashBytes(Encoding.UTF8.GetBytes(json));
        if (actual != entry.Digest || digest != entry.Digest)
        {
            problems.Add(new AuditProblem(entry.Seq, entry.Subject, $"entry {entry.Seq}: {entry.Kind} {entry.Subject} was altered: logged sha256 {Short(entry.Digest)}, stored bytes hash to {Short(actual)}"));
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
