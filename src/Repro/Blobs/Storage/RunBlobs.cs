using Repro.Model;

namespace Repro.Blobs.Storage;

/// <summary>
/// Every cache blob a recorded run refers to: inputs, outputs, params files, metrics sources,
/// the code patch or working-tree listing, stdout and stderr, and each file of a recorded folder
/// (read from its listing when the listing is in the cache). Garbage collection keeps them;
/// bundles carry them.
/// </summary>
public static class RunBlobs
{
    public static async Task<List<BlobUse>> CollectAsync(RunManifest run, ContentCache cache, CancellationToken cancellationToken)
    {
        var uses = new List<BlobUse>();
        async Task ArtifactAsync(ArtifactRecord artifact, string what, bool input)
        {
            if (artifact.Sha256 is null || artifact.Kind == ArtifactKind.Missing)
            {
                return;
            }

            uses.Add(new BlobUse(artifact.Sha256, $"{what} {artifact.Path}", input));
            if (artifact.Kind == ArtifactKind.Dir)
            {
                await ListingAsync(artifact.Sha256, $"{what} {artifact.Path}", input);
            }
        }

        async Task ListingAsync(string sha256, string what, bool input)
        {
            if (!cache.Contains(sha256))
            {
                return;
            }

            List<Repro.Blobs.Hashing.DirectoryEntry> entries;
            try
            {
                entries = await DirectoryListing.ReadAsync(cache, sha256, cancellationToken);
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw ReproException.CannotExecute($"the cached folder listing {sha256[..12]} is unreadable ({ex.Message}); run `repro data fsck`");
            }

            uses.AddRange(entries.Select(e => new BlobUse(e.Sha256, $"{what}/{e.Path}", input)));
        }

        foreach (var dep in run.Deps)
        {
            await ArtifactAsync(dep, "input", input: true);
        }

        foreach (var output in run.Outputs)
        {
            await ArtifactAsync(output, "output", input: false);
        }

        foreach (var file in run.ParamsFiles)
        {
            await ArtifactAsync(file, "params file", input: false);
        }

        foreach (var source in run.Metrics.Sources)
        {
            await ArtifactAsync(source, "metrics", input: false);
        }

        if (run.Code.Diff is { } diff)
        {
            uses.Add(new BlobUse(diff.Sha256, "code patch", false));
        }

        if (run.Code.Tree is { } tree)
        {
            uses.Add(new BlobUse(tree.Sha256, "working-tree listing", false));
            await ListingAsync(tree.Sha256, "working tree", input: false);
        }

        foreach (var (log, what) in new[] { (run.Execution.Stdout.Sha256, "stdout"), (run.Execution.Stderr.Sha256, "stderr") })
        {
            if (log is not null)
            {
                uses.Add(new BlobUse(log, what, false));
            }
        }

        return uses;
    }
}
