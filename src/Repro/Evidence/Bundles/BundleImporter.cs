using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Model.Serialization;
using Repro.Model.Verdicts;
using Repro.Model.Workspaces;
using Repro.Recording;

namespace Repro.Evidence.Bundles;

/// <summary>
/// Takes in a bundle written by <see cref="BundleExporter"/>, trusting nothing in it: every entry
/// name is checked (no absolute paths, no '..', no links, no duplicates, nothing unlisted), every
/// record's bytes must hash to the digest the index gives and re-serialise to the same bytes,
/// every blob is hashed before it becomes visible, and a run already here with other content is
/// refused. Records are written only after every check passed.
/// </summary>
public sealed class BundleImporter(Workspace workspace, IRunStore store, ContentCache cache, TimeProvider time)
{
    public async Task<ImportResult> ImportAsync(string bundlePath, CancellationToken cancellationToken)
    {
        if (!File.Exists(bundlePath))
        {
            throw ReproException.NotFound($"bundle not found: {bundlePath}");
        }

        ZipArchive zip;
        try
        {
            zip = BoundedZip.Open(bundlePath, bundlePath);
        }
        catch (InvalidDataException ex)
        {
            throw ReproException.Usage($"{bundlePath} is not a repro bundle (not a zip file: {ex.Message})");
        }
        catch (InputLimitException ex)
        {
            throw ReproException.Usage($"{ex.Message}; nothing was imported");
        }

        using (zip)
        {
            try
            {
                return await ImportAsync(zip, bundlePath, cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                // A damaged entry (bad deflate data, a CRC mismatch, more bytes than it declares).
                throw Bad(bundlePath, ex.Message);
            }
            catch (InputLimitException ex)
            {
                throw ReproException.Usage($"{ex.Message}; nothing was imported");
            }
        }
    }

    private async Task<ImportResult> ImportAsync(ZipArchive zip, string bundlePath, CancellationToken cancellationToken)
    {
        var entries = CheckEntries(zip, bundlePath);
        var index = await ReadIndexAsync(entries, bundlePath, cancellationToken);

        var runs = new List<(RunManifest Manifest, string Digest, bool Present)>();
        foreach (var item in index.Runs)
        {
            var (manifest, present) = await ReadRecordAsync<RunManifest>(bundlePath, entries, $"runs/{item.Id}.json", item, m => m.Id, async id => (await store.GetAsync(id, cancellationToken))?.Digest, cancellationToken);
            runs.Add((manifest, item.Digest, present));
        }

        var verifications = new List<(VerificationReport Report, bool Present)>();
        foreach (var item in index.Verifications)
        {
            var (report, present) = await ReadRecordAsync<VerificationReport>(bundlePath, entries, $"verifications/{item.Id}.json", item, r => r.Id, async id => (await store.GetVerificationAsync(id, cancellationToken))?.Digest, cancellationToken);
            verifications.Add((report, present));
        }

        var listed = index.Blobs.ToDictionary(b => b.Sha256, StringComparer.Ordinal);
        foreach (var name in entries.Keys.Where(n => n.StartsWith("blobs/", StringComparison.Ordinal)))
        {
            if (!listed.ContainsKey(name["blobs/".Length..]))
            {
                throw Bad(bundlePath, $"entry {name} is not listed in {BundleIndex.FileName}");
            }
        }

        foreach (var blob in index.Blobs)
        {
            if (!Sha256Hasher.IsHash(blob.Sha256) || !entries.TryGetValue($"blobs/{blob.Sha256}", out var entry))
            {
                throw Bad(bundlePath, $"blob {blob.Sha256} is listed but not in the bundle");
            }

            if (entry.Length != blob.Size)
            {
                throw Bad(bundlePath, $"blob {blob.Sha256[..12]} is {entry.Length} bytes, the index says {blob.Size}");
            }
        }

        foreach (var (commit, listing) in index.Commits)
        {
            if (!listed.ContainsKey(listing) || commit.Length is not (40 or 64) || !commit.All(char.IsAsciiHexDigitLower))
            {
                throw Bad(bundlePath, $"commit {commit} has no listing in the bundle");
            }
        }

        // Every check passed: blobs first (each hashed before it is visible), then the records.
        var added = 0;
        foreach (var blob in index.Blobs)
        {
            if (cache.Contains(blob.Sha256))
            {
                continue;
            }

            await using var stream = await BoundedZip.OpenEntryAsync(entries[$"blobs/{blob.Sha256}"], cancellationToken);
            if (await cache.AddStreamAsync(stream, blob.Sha256, cancellationToken) is { } actual)
            {
                throw ReproException.CannotExecute($"{bundlePath} is corrupt: blob {blob.Sha256[..12]} hashes to {actual[..12]}; nothing of it was recorded");
            }

            added++;
        }

        foreach (var (manifest, digest, present) in runs.Where(r => !r.Present))
        {
            var saved = await store.SaveAsync(manifest, cancellationToken);
            if (saved.Digest != digest)
            {
                throw new InvalidOperationException($"run {manifest.Id} was stored with digest {saved.Digest}, not {digest}");
            }
        }

        foreach (var (report, _) in verifications.Where(v => !v.Present))
        {
            await store.SaveVerificationAsync(report, cancellationToken);
        }

        var snapshots = new CommitSnapshots(workspace.ReproDirectory);
        foreach (var (commit, listing) in index.Commits)
        {
            await snapshots.PutAsync(commit, listing, cancellationToken);
        }

        var (sha, _) = await Sha256Hasher.HashFileAsync(bundlePath, null, cancellationToken);
        await store.AppendAuditAsync("import", index.Subject, sha, time.GetUtcNow(), cancellationToken);
        return new ImportResult
        {
            Subject = index.Subject,
            Sha256 = sha,
            RunsImported = runs.Where(r => !r.Present).Select(r => r.Manifest.Id).ToList(),
            RunsAlreadyHere = runs.Where(r => r.Present).Select(r => r.Manifest.Id).ToList(),
            VerificationsImported = verifications.Where(v => !v.Present).Select(v => v.Report.Id).ToList(),
            BlobsAdded = added,
            WithData = index.WithData,
            Notes = index.Notes,
        };
    }

    /// <summary>Entry names checked one by one; anything a bundle writer would not produce is refused.</summary>
    private static Dictionary<string, ZipArchiveEntry> CheckEntries(ZipArchive zip, string bundlePath)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName;
            var unixType = (entry.ExternalAttributes >> 16) & 0xF000;
            if (unixType == 0xA000)
            {
                throw Bad(bundlePath, $"entry {name} is a link; bundles hold plain files only");
            }

            if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal)
                || name.Split('/').Any(part => part is "" or "." or ".."))
            {
                throw Bad(bundlePath, $"entry '{name}' has a path that could escape the workspace");
            }

            var known = name == BundleIndex.FileName
                || (name.StartsWith("runs/", StringComparison.Ordinal) && IsRecordName(name["runs/".Length..]))
                || (name.StartsWith("verifications/", StringComparison.Ordinal) && IsRecordName(name["verifications/".Length..]))
                || (name.StartsWith("blobs/", StringComparison.Ordinal) && Sha256Hasher.IsHash(name["blobs/".Length..]));
            if (!known)
            {
                throw Bad(bundlePath, $"unexpected entry '{name}'");
            }

            if (!entries.TryAdd(name, entry))
            {
                throw Bad(bundlePath, $"entry {name} appears twice");
            }
        }

        return entries;
    }

    private static bool IsRecordName(string name) => name.EndsWith(".json", StringComparison.Ordinal) && RunId.IsHex(name[..^".json".Length]);

    private static async Task<BundleIndex> ReadIndexAsync(Dictionary<string, ZipArchiveEntry> entries, string bundlePath, CancellationToken cancellationToken)
    {
        if (!entries.TryGetValue(BundleIndex.FileName, out var entry))
        {
            throw Bad(bundlePath, $"it has no {BundleIndex.FileName}");
        }

        BundleIndex? index;
        try
        {
            index = CanonicalJson.Deserialize<BundleIndex>(Encoding.UTF8.GetString(await BoundedZip.ReadEntryAsync(entry, bundlePath, cancellationToken)));
        }
        catch (JsonException ex)
        {
            throw Bad(bundlePath, $"{BundleIndex.FileName} is malformed: {ex.Message}");
        }

        if (index is null || index.Kind != BundleIndex.BundleKind)
        {
            throw Bad(bundlePath, $"{BundleIndex.FileName} does not describe a repro bundle");
        }

        if (index.SchemaVersion != 1)
        {
            throw Bad(bundlePath, $"bundle schema version {index.SchemaVersion} is not one this repro reads (1); upgrade repro");
        }

        if (index.Runs.All(r => r.Id != index.Subject))
        {
            throw Bad(bundlePath, $"its subject run {index.Subject} is not in it");
        }

        return index;
    }

    private static async Task<(T Record, bool Present)> ReadRecordAsync<T>(
        string bundlePath,
        Dictionary<string, ZipArchiveEntry> entries,
        string name,
        BundleItem item,
        Func<T, string> idOf,
        Func<string, Task<string?>> digestHere,
        CancellationToken cancellationToken)
    {
        if (!entries.TryGetValue(name, out var entry))
        {
            throw Bad(null, $"{name} is listed but not in the bundle");
        }

        var bytes = await BoundedZip.ReadEntryAsync(entry, bundlePath, cancellationToken);
        var digest = Sha256Hasher.HashBytes(bytes);
        if (digest != item.Digest)
        {
            throw Bad(null, $"{name} hashes to {digest[..12]}, the index says {item.Digest[..12]}: it was altered");
        }

        T record;
        try
        {
            record = CanonicalJson.Deserialize<T>(Encoding.UTF8.GetString(bytes))!;
        }
        catch (JsonException ex)
        {
            throw Bad(null, $"{name} is not a record this repro reads: {ex.Message}");
        }

        if (!CanonicalJson.Serialize(record).AsSpan().SequenceEqual(bytes))
        {
            throw Bad(null, $"{name} was written by another version of repro: importing it would change its digest");
        }

        if (idOf(record) != item.Id)
        {
            throw Bad(null, $"{name} holds record {idOf(record)}, not {item.Id}");
        }

        var here = await digestHere(item.Id);
        if (here is not null && here != item.Digest)
        {
            throw ReproException.Conflict($"{item.Id} is already recorded here with different content (sha256 {here[..12]}, the bundle has {item.Digest[..12]}); nothing was imported");
        }

        return (record, here is not null);
    }

    private static ReproException Bad(string? bundlePath, string problem) =>
        ReproException.Usage(bundlePath is null ? $"bad bundle: {problem}; nothing was imported" : $"{bundlePath} is not a valid bundle: {problem}; nothing was imported");
}
