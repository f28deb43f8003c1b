using Repro.Blobs.Hashing;

namespace Repro.Blobs.Storage;

/// <summary>
/// Copies of git commits' file trees, for verifying a run whose commit this workspace's
/// repository lacks (a run imported from a bundle): <c>.repro/commits/COMMIT</c> names the
/// cached listing of the commit's files, each file a blob in the cache.
/// </summary>
public sealed class CommitSnapshots(string reproDirectory)
{
    private string Folder { get; } = Path.Combine(reproDirectory, "commits");

    public string? TryGet(string commit)
    {
        if (!IsCommit(commit))
        {
            return null;
        }

        var file = Path.Combine(Folder, commit);
        if (!File.Exists(file))
        {
            return null;
        }

        var sha = File.ReadAllText(file).Trim();
        return Sha256Hasher.IsHash(sha) ? sha : null;
    }

    public async Task PutAsync(string commit, string listingSha256, CancellationToken cancellationToken)
    {
        if (!IsCommit(commit) || !Sha256Hasher.IsHash(listingSha256))
        {
            throw new ArgumentException("a commit id and a SHA-256 are needed");
        }

        Directory.CreateDirectory(Folder);
        await AtomicFile.WriteAllTextAsync(Path.Combine(Folder, commit), listingSha256 + "\n", cancellationToken);
    }

    private static bool IsCommit(string commit) => commit.Length is 40 or 64 && commit.All(char.IsAsciiHexDigitLower);
}
