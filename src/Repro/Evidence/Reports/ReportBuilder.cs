using Repro.Blobs.Storage;
using Repro.Checks.Checklist;
using Repro.Model.Workspaces;
using Repro.Recording;

namespace Repro.Evidence.Reports;

/// <summary>
/// Gathers a report's content from the store: a run (with its verifications), a study (with its
/// seeds) or a verification (with the runs it compared), plus the checklist and the digest of
/// every stored record it covers.
/// </summary>
public sealed class ReportBuilder(IRunStore store, ContentCache cache, Workspace workspace, TimeProvider time, string generator)
{
    public async Task<ReportData> BuildAsync(string subject, CancellationToken cancellationToken)
    {
        var verification = await store.GetVerificationAsync(subject, cancellationToken);
        StoredRun? run = null;
        if (verification is null)
        {
            try
            {
                var id = await RunResolver.ResolveAsync(store, subject, cancellationToken);
                run = await store.GetAsync(id, cancellationToken);
            }
            catch (ReproException) when (subject.Length >= RunId.MinimumPrefix && RunId.IsHex(subject))
            {
                var matches = (await store.ListVerificationsAsync(null, 0, cancellationToken)).Where(v => v.Report.Id.StartsWith(subject, StringComparison.Ordinal)).ToList();
                verification = matches.Count switch
                {
                    1 => matches[0],
                    0 => throw ReproException.NotFound($"unknown run, study or verification '{subject}': see `repro runs`"),
                    _ => throw ReproException.Usage($"verification prefix '{subject}' is ambiguous: {string.Join(", ", matches.Take(5).Select(m => m.Report.Id))}"),
                };
            }
        }

        return verification is not null
            ? await VerificationAsync(verification, cancellationToken)
            : await RunAsync(run ?? throw ReproException.NotFound($"unknown run '{subject}'"), cancellationToken);
    }

    private async Task<ReportData> RunAsync(StoredRun run, CancellationToken cancellationToken)
    {
        var manifest = run.Manifest;
        var covered = new List<CoveredRecord> { new(manifest.Kind, manifest.Id, run.Digest) };
        var label = manifest.Name is null ? manifest.Id[..8] : $"{manifest.Name} ({manifest.Id[..8]})";
        if (manifest.Kind == "study")
        {
            foreach (var child in manifest.Study?.Children ?? [])
            {
                if (await store.GetAsync(child.RunId, cancellationToken) is { } stored)
                {
                    covered.Add(new CoveredRecord(stored.Manifest.Kind, stored.Manifest.Id, stored.Digest));
                }
            }

            var source = manifest.Study?.SourceRun is { } sourceId ? await store.GetAsync(sourceId, cancellationToken) : null;
            if (source is not null)
            {
                covered.Add(new CoveredRecord(source.Manifest.Kind, source.Manifest.Id, source.Digest));
            }

            return new ReportData
            {
                Kind = "study",
                Subject = manifest.Id,
                Title = $"Seed study {label}",
                Run = manifest,
                Covered = covered,
                Checklist = await new ChecklistEvaluator(store, cache, workspace).EvaluateAsync(source ?? run, cancellationToken),
                Generator = generator,
                CreatedAt = time.GetUtcNow(),
            };
        }

        var verifications = await store.ListVerificationsAsync(manifest.Id, 0, cancellationToken);
        covered.AddRange(verifications.Select(v => new CoveredRecord("verdict", v.Report.Id, v.Digest)));
        return new ReportData
        {
            Kind = "run",
            Subject = manifest.Id,
            Title = $"Run {label}",
            Run = manifest,
            Verifications = verifications.Select(v => v.Report).ToList(),
            Covered = covered,
            Checklist = await new ChecklistEvaluator(store, cache, workspace).EvaluateAsync(run, cancellationToken),
            Generator = generator,
            CreatedAt = time.GetUtcNow(),
        };
    }

    private async Task<ReportData> VerificationAsync(StoredVerification verification, CancellationToken cancellationToken)
    {
        var report = verification.Report;
        var original = await store.GetAsync(report.Run, cancellationToken)
            ?? throw ReproException.Usage($"verification {report.Id[..8]} refers to run {report.Run}, which is not in this store");
        var covered = new List<CoveredRecord>
        {
            new("verdict", report.Id, verification.Digest),
            new(original.Manifest.Kind, original.Manifest.Id, original.Digest),
        };
        foreach (var id in report.ReproductionRuns)
        {
            if (await store.GetAsync(id, cancellationToken) is { } rerun)
            {
                covered.Add(new CoveredRecord(rerun.Manifest.Kind, rerun.Manifest.Id, rerun.Digest));
            }
        }

        var label = original.Manifest.Name is null ? original.Manifest.Id[..8] : $"{original.Manifest.Name} ({original.Manifest.Id[..8]})";
        return new ReportData
        {
            Kind = "verification",
            Subject = report.Id,
            Title = $"Verification {report.Id[..8]} of run {label}",
            Run = original.Manifest,
            Verification = report,
            Covered = covered,
            Checklist = await new ChecklistEvaluator(store, cache, workspace).EvaluateAsync(original, cancellationToken),
            Generator = generator,
            CreatedAt = time.GetUtcNow(),
        };
    }
}
