using Repro.Blobs.Storage;
using Repro.Capture;
using Repro.Model;
using Repro.Platform.Diagnostics;

namespace Repro.Judging.Verification;

/// <summary>
/// Re-creates a run's inputs in a scratch folder without touching the user's working tree: a
/// detached git worktree of the recorded commit with the recorded patch applied (or, outside
/// git, the recorded working-tree files), then every declared input restored from the cache by
/// hash. Disposing removes the folder (and the worktree registration). Each checkout holds a
/// lock file beside its folder while it lives; the kernel drops the lock when its process dies,
/// so the next checkout removes what a killed verify or study left behind.
/// </summary>
public sealed class ScratchCheckout : IAsyncDisposable
{
    private const string Prefix = "verify-";
    private const string LockSuffix = ".lock";

    private readonly string? _repositoryTop;
    private readonly FileStream _lock;

    private ScratchCheckout(string path, string root, string? repositoryTop, IReadOnlyList<string> notes, FileStream held)
    {
        Path = path;
        Root = root;
        _repositoryTop = repositoryTop;
        Notes = notes;
        _lock = held;
    }

    /// <summary>The scratch folder itself.</summary>
    public string Path { get; }

    /// <summary>Where the workspace root of the recorded run is inside the scratch folder.</summary>
    public string Root { get; }

    /// <summary>What could not be restored exactly, for the report.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <param name="snapshots">Copies of commits this repository may lack (from imported bundles).</param>
    public static async Task<ScratchCheckout> CreateAsync(RunManifest run, string workspaceRoot, string tempRoot, ContentCache cache, CancellationToken cancellationToken, CommitSnapshots? snapshots = null)
    {
        var path = System.IO.Path.Combine(tempRoot, Prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(tempRoot);
        await RemoveAbandonedAsync(tempRoot, workspaceRoot);

        // Taken before the folder exists: a folder whose lock can be taken belongs to no live process.
        var held = new FileStream(path + LockSuffix, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        var notes = new List<string>();
        string? top = null;
        string root;
        try
        {
            if (run.Code.Kind == "git")
            {
                top = await CheckoutGitAsync(run.Code, workspaceRoot, path, cache, snapshots, notes, cancellationToken);
                root = System.IO.Path.Combine(path, run.Code.Prefix ?? string.Empty);
            }
            else
            {
                root = path;
                await RestoreTreeAsync(run.Code, path, cache, notes, cancellationToken);
            }

            PhaseTimings.Mark("verify: code checked out");
            Directory.CreateDirectory(root);
            foreach (var artifact in run.Deps.Concat(run.ParamsFiles))
            {
                await RestoreArtifactAsync(artifact, root, cache, overwrite: true, cancellationToken);
            }

            return new ScratchCheckout(path, root, top, notes, held);
        }
        catch
        {
            await RemoveAsync(path, top);
            await ReleaseAsync(held, path);
            throw;
        }
    }

    /// <summary>Writes a file or folder artifact from the cache under <paramref name="root"/>.</summary>
    public static async Task RestoreArtifactAsync(ArtifactRecord artifact, string root, ContentCache cache, bool overwrite, CancellationToken cancellationToken)
    {
        if (artifact.Kind == ArtifactKind.Missing || artifact.Sha256 is null)
        {
            return;
        }

        var target = System.IO.Path.IsPathRooted(artifact.Path) ? artifact.Path : System.IO.Path.Combine(root, artifact.Path);
        if (System.IO.Path.IsPathRooted(artifact.Path))
        {
            // Outside the workspace: used where it is; the run's own capture re-hashes it.
            return;
        }

        RequireBlob(cache, artifact.Path, artifact.Sha256);
        if (artifact.Kind == ArtifactKind.File)
        {
            CopyBlob(cache, artifact.Sha256, target, overwrite);
            return;
        }

        foreach (var entry in await DirectoryListing.ReadAsync(cache, artifact.Sha256, cancellationToken))
        {
            RequireBlob(cache, $"{artifact.Path}/{entry.Path}", entry.Sha256);
            CopyBlob(cache, entry.Sha256, System.IO.Path.Combine(target, entry.Path), overwrite);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RemoveAsync(Path, _repositoryTop);
        await ReleaseAsync(_lock, Path);
    }

    /// <summary>
    /// Removes the scratch folders of checkouts whose process is gone (SIGKILL, power loss): their
    /// lock can be taken. Their git worktree registrations are pruned once their folders are gone.
    /// </summary>
    private static async Task RemoveAbandonedAsync(string tempRoot, string workspaceRoot)
    {
        var removed = false;
        foreach (var folder in Directory.EnumerateDirectories(tempRoot, Prefix + "*"))
        {
            FileStream? probe;
            try
            {
                probe = new FileStream(folder + LockSuffix, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue; // Held: a verify or study under way in another process.
            }

            await using (probe)
            {
                await RemoveAsync(folder, null);
            }

            File.Delete(folder + LockSuffix);
            removed = true;
        }

        // A lock file without its folder: killed between taking the lock and making the folder.
        foreach (var lockFile in Directory.EnumerateFiles(tempRoot, Prefix + "*" + LockSuffix).Where(f => !Directory.Exists(f[..^LockSuffix.Length])))
        {
            try
            {
                await using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                File.Delete(lockFile);
                removed = true;
            }
            catch (IOException)
            {
                // Held, or already gone.
            }
        }

        if (removed)
        {
            await DropRegistrationsAsync(tempRoot, workspaceRoot);
        }
    }

    /// <summary>
    /// Prunes the worktree registrations of abandoned checkouts. One killed inside `git worktree add`
    /// stays locked ("initializing"), which prune skips: its folder is gone and no live checkout holds
    /// its lock, so it is removed by force first.
    /// </summary>
    private static async Task DropRegistrationsAsync(string tempRoot, string workspaceRoot)
    {
        var list = await ProcessCapture.RunAsync("git", ["-C", workspaceRoot, "worktree", "list", "--porcelain"], workspaceRoot, null, CancellationToken.None);
        if (list is { ExitCode: 0 })
        {
            var root = System.IO.Path.GetFullPath(tempRoot) + System.IO.Path.DirectorySeparatorChar;
            foreach (var line in list.StdoutText.Split('\n'))
            {
                if (!line.StartsWith("worktree ", StringComparison.Ordinal))
                {
                    continue;
                }

                var path = line["worktree ".Length..].TrimEnd('\r');
                if (path.StartsWith(root, StringComparison.Ordinal) && System.IO.Path.GetFileName(path).StartsWith(Prefix, StringComparison.Ordinal)
                    && !Directory.Exists(path) && !File.Exists(path + LockSuffix))
                {
                    await ProcessCapture.RunAsync("git", ["-C", workspaceRoot, "worktree", "remove", "--force", "--force", path], workspaceRoot, null, CancellationToken.None);
                }
            }
        }

        await ProcessCapture.RunAsync("git", ["-C", workspaceRoot, "worktree", "prune"], workspaceRoot, null, CancellationToken.None);
    }

    private static async Task ReleaseAsync(FileStream held, string path)
    {
        // Deleted while still held, so no other process can take it for an abandoned checkout's lock in between.
        File.Delete(path + LockSuffix);
        await held.DisposeAsync();
    }

    private static void RequireBlob(ContentCache cache, string path, string sha256)
    {
        if (!cache.Contains(sha256))
        {
            throw ReproException.CannotExecute($"cannot restore {path}: its bytes (sha256 {sha256}) are not in the cache; run `repro data pull` or verify on the machine that recorded it");
        }
    }

    private static void CopyBlob(ContentCache cache, string sha256, string target, bool overwrite)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        if (File.Exists(target) && !overwrite)
        {
            return;
        }

        // A writable reflink or copy (never a hard link): the restored file belongs to the run.
        BlobLinker.Place(cache.PathFor(sha256), target, allowHardlink: false);
    }

    private static async Task<string?> CheckoutGitAsync(CodeSnapshot code, string workspaceRoot, string path, ContentCache cache, CommitSnapshots? snapshots, List<string> notes, CancellationToken cancellationToken)
    {
        string? top = null;
        if (code.Commit is not null)
        {
            // One process: the top level (printed even when the commit is missing) and whether the commit is here.
            var found = await ProcessCapture.RunAsync("git", ["-C", workspaceRoot, "rev-parse", "--show-toplevel", "--verify", "--quiet", code.Commit + "^{commit}"], workspaceRoot, null, cancellationToken);
            var foundTop = found?.StdoutText.Split('\n')[0].Trim();
            var inRepository = found is not null && !string.IsNullOrEmpty(foundTop);
            var hasCommit = inRepository && found!.ExitCode == 0;
            if (!hasCommit && snapshots?.TryGet(code.Commit) is { } listing)
            {
                // An imported run: its commit's files came with the bundle.
                await RestoreListingAsync(listing, path, cache, notes, $"commit {code.Commit[..12]}", cancellationToken);
                await ProcessCapture.RunAsync("git", ["-C", path, "init", "--quiet"], path, null, cancellationToken);
            }
            else if (!inRepository)
            {
                throw ReproException.CannotExecute($"the run was recorded in git (commit {code.Commit[..12]}) but {workspaceRoot} is not in a git repository now, and no copy of that commit came with an imported bundle");
            }
            else
            {
                top = foundTop!;
                var add = await ProcessCapture.RunAsync("git", ["-C", top, "worktree", "add", "--detach", "--quiet", path, code.Commit], top, null, cancellationToken, TimeSpan.FromMinutes(10));
                if (add is not { ExitCode: 0 })
                {
                    throw ReproException.CannotExecute($"cannot check out commit {code.Commit[..12]}: {add?.Stderr.Trim()}");
                }
            }
        }
        else
        {
            // No commit yet: the patch holds every file; apply it in an empty repository.
            Directory.CreateDirectory(path);
            await ProcessCapture.RunAsync("git", ["-C", path, "init", "--quiet"], path, null, cancellationToken);
        }

        // An empty patch (only untracked or ignored files changed) has nothing to apply, and git apply refuses it.
        if (code.Diff is { Size: > 0 } diff)
        {
            RequireBlob(cache, "the uncommitted changes", diff.Sha256);
            var apply = await ProcessCapture.RunAsync("git", ["-C", path, "apply", "--binary", "--whitespace=nowarn", cache.PathFor(diff.Sha256)], path, null, cancellationToken, TimeSpan.FromMinutes(5));
            if (apply is not { ExitCode: 0 })
            {
                throw ReproException.CannotExecute($"cannot apply the recorded uncommitted changes (sha256 {diff.Sha256[..12]}): {apply?.Stderr.Trim()}");
            }
        }

        return top;
    }

    private static async Task RestoreTreeAsync(CodeSnapshot code, string path, ContentCache cache, List<string> notes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        if (code.Tree is null)
        {
            notes.Add("the code snapshot has no file listing: nothing restored");
            return;
        }

        await RestoreListingAsync(code.Tree.Sha256, path, cache, notes, "working-tree", cancellationToken);
    }

    /// <summary>Writes every file of a cached listing under <paramref name="path"/>; files not kept in the cache are noted, not fatal.</summary>
    private static async Task RestoreListingAsync(string listing, string path, ContentCache cache, List<string> notes, string what, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        RequireBlob(cache, $"the {what} listing", listing);
        var missing = 0;
        foreach (var entry in await DirectoryListing.ReadAsync(cache, listing, cancellationToken))
        {
            if (cache.Contains(entry.Sha256))
            {
                CopyBlob(cache, entry.Sha256, System.IO.Path.Combine(path, entry.Path), overwrite: true);
            }
            else
            {
                missing++;
                if (missing <= 5)
                {
                    notes.Add($"{what} file {entry.Path} was not kept (large files are listed, not stored): not restored");
                }
            }
        }

        if (missing > 5)
        {
            notes.Add($"{missing} {what} files in all were not restored");
        }
    }

    private static async Task RemoveAsync(string path, string? top)
    {
        var removed = false;
        if (top is not null)
        {
            var remove = await ProcessCapture.RunAsync("git", ["-C", top, "worktree", "remove", "--force", path], top, null, CancellationToken.None);
            removed = remove is { ExitCode: 0 };
        }

        if (Directory.Exists(path))
        {
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(path, recursive: true);
        }

        if (top is not null && !removed)
        {
            // The worktree folder was deleted by hand: drop its registration too.
            await ProcessCapture.RunAsync("git", ["-C", top, "worktree", "prune"], top, null, CancellationToken.None);
        }
    }
}
