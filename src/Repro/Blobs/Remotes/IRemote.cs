namespace Repro.Blobs.Remotes;

/// <summary>
/// Somewhere outside the workspace that holds cache blobs by hash (a shared folder, an S3
/// bucket). A blob is only ever visible under its hash once all of its bytes have arrived and
/// hash to that name. Every implementation passes the same contract tests.
/// </summary>
public interface IRemote : IAsyncDisposable
{
    /// <summary>Where the remote is, safe to print (no credentials).</summary>
    string Display { get; }

    /// <summary>Every blob hash the remote holds.</summary>
    Task<IReadOnlySet<string>> ListAsync(CancellationToken cancellationToken);

    Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>
    /// Uploads the file at <paramref name="sourcePath"/> as blob <paramref name="sha256"/>. The bytes
    /// sent are hashed: if they do not hash to <paramref name="sha256"/> nothing is stored and a
    /// <see cref="ReproException"/> says so.
    /// </summary>
    Task PutAsync(string sha256, string sourcePath, CancellationToken cancellationToken);

    /// <summary>Opens a blob for reading, or null when the remote does not have it. The caller verifies the bytes.</summary>
    Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken);
}
