using Repro.Blobs.Hashing;
using Repro.Model.Serialization;

namespace Repro.Blobs.Storage;

/// <summary>Reads a folder's canonical listing (path, sha256, size) back from the cache.</summary>
public static class DirectoryListing
{
    public static async Task<List<DirectoryEntry>> ReadAsync(ContentCache cache, string sha256, CancellationToken cancellationToken)
    {
        var bytes = await cache.ReadAllBytesAsync(sha256, cancellationToken);
        return CanonicalJson.Deserialize<List<DirectoryEntry>>(System.Text.Encoding.UTF8.GetString(bytes));
    }
}
