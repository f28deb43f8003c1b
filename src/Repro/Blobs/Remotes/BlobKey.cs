namespace Repro.Blobs.Remotes;

/// <summary>The one layout of blobs on every remote, the same as the local cache: <c>sha256/ab/cdef…</c>.</summary>
public static class BlobKey
{
    public static string For(string sha256) => $"sha256/{sha256[..2]}/{sha256[2..]}";

    /// <summary>The hash a key names, or null when it is not a blob key.</summary>
    public static string? Parse(string key)
    {
        var parts = key.Split('/');
        if (parts.Length < 2)
        {
            return null;
        }

        var sha = parts[^2] + parts[^1];
        return parts[^2].Length == 2 && Repro.Blobs.Hashing.Sha256Hasher.IsHash(sha) ? sha : null;
    }
}
