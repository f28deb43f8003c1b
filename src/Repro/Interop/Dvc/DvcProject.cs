using Repro.Blobs.Hashing;
using Repro.Recording.Pipelines;

namespace Repro.Interop.Dvc;

/// <summary>A DVC project read as it is: its dvc.yaml/dvc.lock pipeline and its .dvc files.</summary>
public static class DvcProject
{
    public static bool Exists(string root) => File.Exists(Path.Combine(root, DvcPipelineFile.FileName));

    public static DvcPipelineFormat OpenPipeline(string root, DvcHasher hasher) => new(DvcPipelineFile.Load(root), hasher);

    /// <summary>
    /// Compares every dep and out recorded in dvc.lock and every out of every .dvc file with the
    /// workspace, hashing the way DVC does (each entry in the md5 flavour it was written with).
    /// </summary>
    public static async Task<DvcWorkspaceStatus> CheckWorkspaceAsync(string root, DvcHasher hasher, CancellationToken cancellationToken)
    {
        var entries = new List<DvcWorkspaceEntry>();
        async Task AddAsync(string source, string? stage, string role, string relative, LockedArtifact recorded)
        {
            if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith("../", StringComparison.Ordinal))
            {
                // Never hash (or report on) a file outside the project because a lock file says so.
                throw ReproException.Usage($"{source}: {(stage is null ? string.Empty : $"stage {stage} ")}{role} {recorded.Path} is outside the workspace; external deps and outs are not supported");
            }

            var current = await hasher.HashAsync(Path.GetFullPath(Path.Combine(root, relative)), recorded.Path, recorded.HashName, cancellationToken);
            entries.Add(new DvcWorkspaceEntry
            {
                Source = source,
                Stage = stage,
                Role = role,
                Path = relative,
                RecordedMd5 = recorded.Hash,
                ActualMd5 = current?.Hash,
                State = current is null ? DvcEntryState.Deleted : string.Equals(current.Hash, recorded.Hash, StringComparison.Ordinal) ? DvcEntryState.Unchanged : DvcEntryState.Modified,
            });
        }

        var lockPath = Path.Combine(root, DvcPipelineFile.LockName);
        if (File.Exists(lockPath))
        {
            var definition = Exists(root) ? DvcPipelineFile.Load(root) : null;
            foreach (var stage in DvcLockFile.Read(lockPath).Stages)
            {
                var declared = definition?.Stages.FirstOrDefault(s => string.Equals(s.Name, stage.Name, StringComparison.Ordinal));
                var wdir = declared?.WorkingDirectory ?? ".";
                foreach (var (role, artifacts) in new[] { ("dep", stage.Deps), ("out", stage.Outs) })
                {
                    foreach (var artifact in artifacts)
                    {
                        var relative = Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, wdir, artifact.Path))).Replace('\\', '/');
                        await AddAsync(DvcPipelineFile.LockName, stage.Name, role, relative, artifact);
                    }
                }
            }
        }

        foreach (var file in DvcFile.FindAll(root))
        {
            foreach (var out_ in DvcFile.Read(root, file))
            {
                await AddAsync(out_.DvcFile, null, "out", out_.Path, out_.Recorded);
            }
        }

        return new DvcWorkspaceStatus { Entries = entries };
    }

    /// <summary>A hasher whose md5s are remembered in the workspace's stat caches (null: hash everything).</summary>
    public static DvcHasher Hasher(string root, IStatCacheFactory? statCaches, TimeProvider time) => statCaches is null
        ? new DvcHasher(root, NullStatCache.Instance, NullStatCache.Instance, time)
        : new DvcHasher(root, statCaches.Open(DvcHasher.Md5), statCaches.Open(DvcHasher.Md5Dos2Unix), time);
}
