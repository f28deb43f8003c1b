using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Interop.Dvc;
using Repro.Recording.Pipelines;

namespace Repro.Interop.Dvc;

/// <summary>
/// Finds the pipeline of a folder: <c>repro.yaml</c> with <c>stages:</c> first, else a DVC
/// project's <c>dvc.yaml</c>, used as it is.
/// </summary>
public static class PipelineProject
{
    /// <param name="root">The pipeline's folder (the workspace root).</param>
    /// <param name="statCaches">The workspace's stat caches, or null to hash everything.</param>
    public static IPipelineFormat Open(string root, ContentCache cache, IStatCacheFactory? statCaches, TimeProvider time)
    {
        if (ReproPipelineFile.HasStages(root))
        {
            var statCache = statCaches is null ? NullStatCache.Instance : statCaches.Open("sha256");
            return new ReproPipelineFormat(ReproPipelineFile.Load(root), new Sha256PipelineHasher(cache, statCache, time));
        }

        if (DvcProject.Exists(root))
        {
            return DvcProject.OpenPipeline(root, DvcProject.Hasher(root, statCaches, time));
        }

        throw ReproException.Usage(File.Exists(Path.Combine(root, ReproPipelineFile.FileName))
            ? $"no pipeline here: {ReproPipelineFile.FileName} has no 'stages:' and there is no {DvcPipelineFile.FileName} in {root}"
            : $"no pipeline here: no {ReproPipelineFile.FileName} and no {DvcPipelineFile.FileName} in {root} (see `Pipelines` in the README)");
    }

    /// <summary>Every stage's status, in dependency order.</summary>
    public static async Task<IReadOnlyList<StageStatus>> StatusAsync(IPipelineFormat format, CancellationToken cancellationToken)
    {
        var order = StageGraph.Order(format.Definition, []);
        var pipelineLock = format.ReadLock();
        var checker = new StageChecker(format);
        var result = new List<StageStatus>();
        foreach (var stage in order)
        {
            foreach (var dep in stage.Deps)
            {
                StagePaths.RefuseLinkOutside(format.Definition, stage, dep);
            }

            result.Add(await checker.CheckAsync(stage, pipelineLock.Find(stage.Name), cancellationToken));
        }

        return result;
    }
}
