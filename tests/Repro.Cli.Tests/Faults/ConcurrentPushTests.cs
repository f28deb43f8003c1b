using Repro.Tests.Remotes;

namespace Repro.Cli.Tests.Faults;

/// <summary>
/// Four `repro data push` processes to one remote at the same moment, with data they share and
/// data only each has: nothing is lost (every push says so again with "pushed 0 blobs"), every
/// blob on the remote re-hashes to its name, and each workspace's data comes back whole in a clone.
/// </summary>
public sealed class ConcurrentPushTests(S3ServerFixture s3) : IClassFixture<S3ServerFixture>
{
    private const int Pushers = 4;

    [Theory]
    [InlineData("folder")]
    [InlineData("s3")]
    public async Task Four_concurrent_pushes_to_one_remote_lose_nothing(string kind)
    {
        using var folder = new Workdir();
        var url = kind == "s3" ? $"s3://{await s3.NewBucketAsync()}/team" : folder.Path;
        IReadOnlyDictionary<string, string?>? environment = kind == "s3" ? s3.Variables : null;
        var workspaces = Enumerable.Range(0, Pushers).Select(_ => new Workdir()).ToList();
        try
        {
            foreach (var (dir, i) in workspaces.Select((d, i) => (d, i)))
            {
                await dir.InitAsync();
                var shared = FaultData.Write(dir, seed: 77, folder: "data/shared", files: 300);
                var own = FaultData.Write(dir, seed: 500 + i, folder: "data/own", files: 400);
                await OkAsync(dir, null, ["data", "add", .. shared, .. own]);
                await OkAsync(dir, null, "remote", "add", "origin", url);
            }

            var pushes = await Task.WhenAll(workspaces.Select(dir => ReproProcess.RunWithAsync(dir.Path, environment, null, "data", "push", "-j", "4")));
            foreach (var push in pushes)
            {
                Assert.True(push.ExitCode == 0, push.ToString());
            }

            await StoreHealth.AssertCleanAsync(workspaces[0].Path, environment, checkRemote: true, context: $"{kind} remote after {Pushers} pushes");
            var check = await ReproProcess.RunWithAsync(workspaces[0].Path, environment, null, "data", "fsck", "--check-remote");
            var blobs = workspaces.SelectMany(d => StoreHealth.Blobs(d.Combine(".repro", "cache"))).ToHashSet(StringComparer.Ordinal);
            Assert.Contains($"checked {blobs.Count} blobs on", check.Stdout, StringComparison.Ordinal);
            if (kind == "folder")
            {
                Assert.Equal(blobs.Order(StringComparer.Ordinal), StoreHealth.Blobs(folder.Path));
            }

            foreach (var dir in workspaces)
            {
                var again = await OkAsync(dir, environment, "data", "push");
                Assert.Contains("pushed 0 blobs", again.Stdout, StringComparison.Ordinal);
                using var clone = await FaultData.CloneAsync(dir);
                await OkAsync(clone, environment, "data", "pull");
                Assert.Equal(FaultData.Snapshot(dir, "data"), FaultData.Snapshot(clone, "data"));
            }
        }
        finally
        {
            foreach (var dir in workspaces)
            {
                dir.Dispose();
            }
        }
    }

    private static async Task<ReproProcess.Result> OkAsync(Workdir dir, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var result = await ReproProcess.RunWithAsync(dir.Path, environment, null, args);
        Assert.True(result.ExitCode == 0, $"repro {string.Join(' ', args)}\n{result}");
        return result;
    }
}
