using System.Globalization;
using System.Text;
using Repro.Blobs.Storage;
using Repro.Model;

namespace Repro.Capture;

/// <summary>
/// Pillar one inside git, through the git command line (three to five short processes): the
/// commit, branch, remote (credentials removed) and a binary-safe patch of every uncommitted
/// change, untracked files included, built in a scratch index so the user's index is untouched.
/// </summary>
public sealed class GitProbe
{
    /// <summary>Untracked files larger than this are listed, not put in the patch: declare them as data.</summary>
    public const long MaxUntrackedBytes = 1 << 20;

    private const string EmptyTree = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    private readonly ContentCache _cache;

    public GitProbe(ContentCache cache) => _cache = cache;

    /// <summary>
    /// Whether git could see a work tree at <paramref name="path"/>: a <c>.git</c> folder or file in
    /// it or above it, or GIT_DIR / GIT_WORK_TREE set. Outside any repository this saves starting
    /// git at all (a few milliseconds of every <c>repro run</c>); inside one, git itself decides.
    /// </summary>
    public static bool MayBeInRepository(string path)
    {
        if (Environment.GetEnvironmentVariable("GIT_DIR") is { Length: > 0 } || Environment.GetEnvironmentVariable("GIT_WORK_TREE") is { Length: > 0 })
        {
            return true;
        }

        for (var folder = Path.GetFullPath(path); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var marker = Path.Combine(folder, ".git");
            if (Directory.Exists(marker) || File.Exists(marker))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Captures the repository holding <paramref name="workspaceRoot"/>, or returns null when
    /// it is not inside a git work tree (or git is missing).
    /// </summary>
    public async Task<CodeSnapshot?> CaptureAsync(string workspaceRoot, IReadOnlyCollection<string> declaredPaths, CancellationToken cancellationToken, CaptureBudget? budget = null)
    {
        budget ??= CaptureBudget.Default;
        if (!MayBeInRepository(workspaceRoot))
        {
            return null;
        }

        // One process answers both: the top level, and where this work tree's index is (for the patch).
        var top = await GitAsync(workspaceRoot, null, cancellationToken, "rev-parse", "--show-toplevel", "--git-path", "index");
        if (top is null || top.ExitCode != 0)
        {
            return null;
        }

        var lines = top.StdoutText.TrimEnd('\n');
        var split = lines.LastIndexOf('\n');
        var topLevel = (split < 0 ? lines : lines[..split]).Trim();
        var indexPath = split < 0 ? null : Path.GetFullPath(Path.Combine(workspaceRoot, lines[(split + 1)..].Trim()));

        // The remote is read while status walks the tree: two processes at once, not one after the other.
        var remoteRead = RemoteAsync(topLevel, cancellationToken);
        var status = await GitAsync(topLevel, null, cancellationToken, "status", "--porcelain=v2", "--branch", "-z", "--untracked-files=all");
        var remote = await remoteRead;
        if (status is null || status.ExitCode != 0)
        {
            return new CodeSnapshot { Kind = "git", Note = $"git status failed: {status?.Stderr.Trim()}" };
        }

        var parsed = ParseStatus(status.StdoutText);
        var prefix = Path.GetRelativePath(topLevel, workspaceRoot).Replace('\\', '/');
        var snapshot = new CodeSnapshot
        {
            Kind = "git",
            Commit = parsed.Commit,
            Branch = parsed.Branch,
            Remote = remote,
            Prefix = prefix == "." ? string.Empty : prefix,
            Dirty = parsed.Changes.Count > 0,
            Changes = parsed.Changes,
        };
        if (parsed.Changes.Count == 0)
        {
            return snapshot;
        }

        // Untracked files go into the patch unless they are declared data/outputs, too large, or
        // past the budget: those are listed by path and size, never read.
        var declared = declaredPaths.Select(p => Path.GetFullPath(p)).ToList();
        var include = new List<string>();
        var notCaptured = new List<FileChange>();
        long included = 0, overBytes = 0;
        var overFolders = new Dictionary<string, int>(StringComparer.Ordinal);
        var overListing = new StringBuilder();
        var over = new HashSet<string>(StringComparer.Ordinal);
        // Smallest first, so the budget keeps the code (small files) before data that sits beside it.
        var candidates = new List<(FileChange Change, long Size)>();
        foreach (var change in parsed.Changes.Where(c => c.Status == "??"))
        {
            var full = Path.GetFullPath(Path.Combine(topLevel, change.Path));
            if (declared.Any(d => full == d || full.StartsWith(d + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                notCaptured.Add(change with { Status = "declared as --dep or --out" });
                continue;
            }

            var size = new FileInfo(full).Length;
            if (size > MaxUntrackedBytes)
            {
                notCaptured.Add(change with { Status = $"untracked and larger than {MaxUntrackedBytes / (1 << 20)} MiB: declare it with --dep" });
            }
            else
            {
                candidates.Add((change, size));
            }
        }

        foreach (var (change, size) in candidates.OrderBy(c => c.Size).ThenBy(c => c.Change.Path, StringComparer.Ordinal))
        {
            if (include.Count >= budget.MaxFiles || included + size > budget.MaxBytes)
            {
                overListing.Append(size.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(change.Path).Append('\n');
                over.Add(change.Path);
                overBytes += size;
                var slash = change.Path.IndexOf('/', StringComparison.Ordinal);
                var folder = slash < 0 ? "." : change.Path[..slash];
                overFolders[folder] = overFolders.GetValueOrDefault(folder) + 1;
            }
            else
            {
                include.Add(change.Path);
                included += size;
            }
        }

        if (overFolders.Count > 0)
        {
            // Files past the budget are listed once, by size and path, in a listing blob: the
            // manifest stays small however many files sit untracked beside the code.
            var listing = await _cache.AddBytesAsync(Encoding.UTF8.GetBytes(overListing.ToString()), cancellationToken);
            snapshot = snapshot with
            {
                Changes = parsed.Changes.Where(c => c.Status != "??" || !over.Contains(c.Path)).ToList(),
                OverBudget = new UntrackedOverBudget
                {
                    Files = overFolders.Values.Sum(),
                    Bytes = overBytes,
                    Folder = overFolders.MaxBy(f => f.Value).Key,
                    BudgetFiles = budget.MaxFiles,
                    BudgetBytes = budget.MaxBytes,
                    Listing = listing,
                },
            };
        }

        var diff = await DiffAsync(topLevel, indexPath, parsed.Commit, include, cancellationToken);
        if (diff.Patch is null)
        {
            return snapshot with { NotCaptured = notCaptured, Note = diff.Error };
        }

        var blob = await _cache.AddBytesAsync(diff.Patch, cancellationToken);
        return snapshot with { Diff = blob, NotCaptured = notCaptured };
    }

    internal static (string? Commit, string? Branch, List<FileChange> Changes) ParseStatus(string output)
    {
        string? commit = null;
        string? branch = null;
        var changes = new List<FileChange>();
        var fields = output.Split('\0');
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            if (field.Length == 0)
            {
                continue;
            }

            if (field.StartsWith("# branch.oid ", StringComparison.Ordinal))
            {
                var oid = field["# branch.oid ".Length..];
                commit = oid == "(initial)" ? null : oid;
            }
            else if (field.StartsWith("# branch.head ", StringComparison.Ordinal))
            {
                var head = field["# branch.head ".Length..];
                branch = head == "(detached)" ? null : head;
            }
            else if (field[0] == '1')
            {
                var parts = field.Split(' ', 9);
                changes.Add(new FileChange(parts[8], parts[1].Replace('.', ' ').Trim()));
            }
            else if (field[0] == '2')
            {
                var parts = field.Split(' ', 10);
                changes.Add(new FileChange(parts[9], parts[1].Replace('.', ' ').Trim()));
                i++; // the original path follows in its own field
            }
            else if (field[0] == 'u')
            {
                var parts = field.Split(' ', 11);
                changes.Add(new FileChange(parts[10], "U"));
            }
            else if (field[0] == '?')
            {
                changes.Add(new FileChange(field[2..], "??"));
            }
        }

        return (commit, branch, changes);
    }

    private async Task<(byte[]? Patch, string? Error)> DiffAsync(string topLevel, string? indexPath, string? commit, List<string> untracked, CancellationToken cancellationToken)
    {
        var scratch = _cache.NewTempPath();
        try
        {
            if (indexPath is not null && File.Exists(indexPath))
            {
                File.Copy(indexPath, scratch, overwrite: true);
            }

            var environment = new Dictionary<string, string?> { ["GIT_INDEX_FILE"] = scratch };
            if (untracked.Count > 0)
            {
                var add = await GitAsync(topLevel, environment, cancellationToken, ["add", "--intent-to-add", "--", .. untracked]);
                if (add is null || add.ExitCode != 0)
                {
                    return (null, $"could not stage untracked files in a scratch index: {add?.Stderr.Trim()}");
                }
            }

            var diff = await GitAsync(topLevel, environment, cancellationToken, "diff", "--binary", "--no-color", "--no-ext-diff", commit ?? EmptyTree);
            if (diff is null || diff.ExitCode != 0)
            {
                return (null, $"git diff failed: {diff?.Stderr.Trim()}");
            }

            return (diff.Stdout, null);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static async Task<string?> RemoteAsync(string topLevel, CancellationToken cancellationToken)
    {
        var remotes = await GitAsync(topLevel, null, cancellationToken, "config", "--get-regexp", @"^remote\..*\.url$");
        if (remotes is null || remotes.ExitCode != 0)
        {
            return null;
        }

        var urls = remotes.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .ToList();
        var chosen = urls.FirstOrDefault(parts => parts[0] == "remote.origin.url") ?? urls.FirstOrDefault();
        return chosen is null ? null : UrlRedactor.Redact(chosen[1].Trim());
    }

    private static Task<ProcessCapture.Result?> GitAsync(string directory, IReadOnlyDictionary<string, string?>? environment, CancellationToken cancellationToken, params string[] arguments)
    {
        var env = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>())
        {
            ["GIT_OPTIONAL_LOCKS"] = "0",
            ["LC_ALL"] = "C",
        };
        return ProcessCapture.RunAsync("git", ["-C", directory, .. arguments], directory, env, cancellationToken);
    }
}
