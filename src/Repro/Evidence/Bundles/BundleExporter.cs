using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model;
using Repro.Model.Serialization;
using Repro.Model.Workspaces;

namespace Repro.Evidence.Bundles;

/// <summary>
/// Writes one run as a portable bundle (a zip): its manifest, its study (and the study's seeds),
/// its stored verifications and their re-runs, every blob those records refer to (inputs only
/// with <c>withData</c>), and a copy of each recorded git commit's files, so the run can be
/// verified where the repository is not. Written to a temp file and renamed: never half-written.
/// </summary>
public sealed class BundleExporter(Workspace workspace, IRunStore store, ContentCache cache, TimeProvider time)
{
    public async Task<ExportResult> ExportAsync(string subjectId, string outputPath, bool withData, CancellationToken cancellationToken)
    {
        var subject = await store.GetAsync(subjectId, cancellationToken) ?? throw ReproException.NotFound($"unknown run '{subjectId}'");
        var runs = new List<StoredRun> { subject };
        async Task AddRunAsync(string id)
        {
            if (runs.All(r => r.Manifest.Id != id) && await store.GetAsync(id, cancellationToken) is { } run)
            {
                runs.Add(run);
            }
        }

        foreach (var child in subject.Manifest.Study?.Children ?? [])
        {
            await AddRunAsync(child.RunId);
        }

        if (subject.Manifest.ParentId is { } parent)
        {
            await AddRunAsync(parent);
        }

        var verifications = await store.ListVerificationsAsync(subject.Manifest.Id, 0, cancellationToken);
        foreach (var verification in verifications)
        {
            foreach (var id in verification.Report.ReproductionRuns)
            {
                await AddRunAsync(id);
            }
        }

        var notes = new List<string>();
        var blobs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            foreach (var use in await RunBlobs.CollectAsync(run.Manifest, cache, cancellationToken))
            {
                if (use.IsInput && !withData)
                {
                    continue;
                }

                if (cache.Contains(use.Sha256))
                {
                    blobs[use.Sha256] = cache.PathFor(use.Sha256);
                }
                else if (use.What.StartsWith("working tree/", StringComparison.Ordinal))
                {
                    notes.Add($"{use.What}: a large file listed but never kept in the cache; not in the bundle");
                }
                else
                {
                    throw ReproException.CannotExecute($"cannot export run {run.Manifest.Id[..8]}: {use.What} (sha256 {use.Sha256[..12]}) is not in the cache; `repro data pull` it first");
                }
            }
        }

        if (!withData && runs.Any(r => r.Manifest.Deps.Count > 0))
        {
            notes.Add("inputs are not in the bundle (export with --with-data to include them): the importer needs them from a remote (`repro data pull`) to verify");
        }

        // Commit files, so a verification elsewhere needs no access to the repository.
        var commits = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var commitFiles = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var commit in runs.Select(r => r.Manifest.Code).Where(c => c.Kind == "git" && c.Commit is not null).Select(c => c.Commit!).Distinct())
        {
            var listing = await SnapshotCommitAsync(commit, commitFiles, notes, cancellationToken);
            if (listing is not null)
            {
                commits[commit] = listing;
            }
        }

        var index = new BundleIndex
        {
            CreatedAt = time.GetUtcNow(),
            ReproVersion = ReproVersion.Current,
            Subject = subject.Manifest.Id,
            WithData = withData,
            Runs = runs.Select(r => new BundleItem(r.Manifest.Id, r.Digest)).ToList(),
            Verifications = verifications.Select(v => new BundleItem(v.Report.Id, v.Digest)).ToList(),
            Commits = commits,
            Blobs = blobs.Select(b => new BlobRef(b.Key, new FileInfo(b.Value).Length))
                .Concat(commitFiles.Where(f => !blobs.ContainsKey(f.Key)).Select(f => new BlobRef(f.Key, f.Value.LongLength)))
                .OrderBy(b => b.Sha256, StringComparer.Ordinal).ToList(),
            Notes = notes,
        };

        var full = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.tmp-{Guid.NewGuid():N}";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                await WriteAsync(zip, BundleIndex.FileName, CanonicalJson.Serialize(index, indented: true), cancellationToken);
                foreach (var run in runs)
                {
                    await WriteAsync(zip, $"runs/{run.Manifest.Id}.json", Encoding.UTF8.GetBytes(run.Json), cancellationToken);
                }

                foreach (var verification in verifications)
                {
                    await WriteAsync(zip, $"verifications/{verification.Report.Id}.json", Encoding.UTF8.GetBytes(verification.Json), cancellationToken);
                }

                foreach (var blob in index.Blobs)
                {
                    var name = $"blobs/{blob.Sha256}";
                    if (blobs.TryGetValue(blob.Sha256, out var path))
                    {
                        await zip.CreateEntryFromFileAsync(path, name, CompressionLevel.Fastest, cancellationToken);
                    }
                    else
                    {
                        await WriteAsync(zip, name, commitFiles[blob.Sha256], cancellationToken);
                    }
                }
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        var (sha, size) = await Sha256Hasher.HashFileAsync(full, null, cancellationToken);
        await store.AppendAuditAsync("export", subject.Manifest.Id, sha, time.GetUtcNow(), cancellationToken);
        return new ExportResult(full, sha, size, index);
    }

    private static async Task WriteAsync(ZipArchive zip, string name, byte[] bytes, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var stream = await entry.OpenAsync(cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>Every file of <paramref name="commit"/> (from <c>git archive</c>) and their listing; null when the repository lacks it.</summary>
    private async Task<string?> SnapshotCommitAsync(string commit, Dictionary<string, byte[]> files, List<string> notes, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workspace.Root };
        foreach (var arg in new[] { "-C", workspace.Root, "archive", "--format=tar", commit })
        {
            info.ArgumentList.Add(arg);
        }

        using var git = Process.Start(info) ?? throw ReproException.CannotExecute("cannot start git");
        var errors = git.StandardError.ReadToEndAsync(cancellationToken);
        var entries = new List<DirectoryEntry>();
        try
        {
            await using var tar = new TarReader(git.StandardOutput.BaseStream);
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    if (entry.EntryType == TarEntryType.SymbolicLink)
                    {
                        notes.Add($"commit {commit[..12]}: symbolic link {entry.Name} is not in the bundle");
                    }

                    continue;
                }

                using var buffer = new MemoryStream();
                if (entry.DataStream is { } data)
                {
                    await data.CopyToAsync(buffer, cancellationToken);
                }

                var bytes = buffer.ToArray();
                var sha = Sha256Hasher.HashBytes(bytes);
                files.TryAdd(sha, bytes);
                entries.Add(new DirectoryEntry(entry.Name, sha, bytes.LongLength));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            entries.Clear();
        }

        await git.WaitForExitAsync(cancellationToken);
        if (git.ExitCode != 0 || (entries.Count == 0 && (await errors).Length > 0))
        {
            notes.Add($"commit {commit[..12]} is not in this repository: the bundle carries no copy of its files (the importer needs the repository to verify)");
            return null;
        }

        var listing = ArtifactHasher.Listing(entries);
        var listingSha = Sha256Hasher.HashBytes(listing);
        files.TryAdd(listingSha, listing);
        return listingSha;
    }
}
