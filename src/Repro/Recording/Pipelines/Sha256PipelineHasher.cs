using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Model;

namespace Repro.Recording.Pipelines;

/// <summary>repro's own scheme: the same SHA-256 (and folder listing hash) every run records.</summary>
public sealed class Sha256PipelineHasher : IPipelineHasher
{
    private readonly ArtifactHasher _hasher;

    public Sha256PipelineHasher(ContentCache cache, IStatCache statCache, TimeProvider time)
    {
        _hasher = new ArtifactHasher(cache, statCache, time);
    }

    public string DefaultHashName => "sha256";

    public async Task<LockedArtifact?> HashAsync(string fullPath, string recordedPath, string hashName, CancellationToken cancellationToken)
    {
        var record = await _hasher.HashAsync(fullPath, recordedPath, store: false, null, cancellationToken);
        return record.Kind == ArtifactKind.Missing
            ? null
            : new LockedArtifact { Path = recordedPath, Hash = record.Sha256!, HashName = "sha256", Size = record.Size, Files = record.Kind == ArtifactKind.Dir ? record.Files : null };
    }
}
