using Amazon.S3.Model;
using Repro.Blobs.Remotes;
using Repro.Remotes.S3;

namespace Repro.Tests.Remotes;

/// <summary>The remote contract against a real S3-compatible server on loopback (see <see cref="S3ServerFixture"/>).</summary>
public sealed class S3RemoteTests(S3ServerFixture server) : RemoteContract, IClassFixture<S3ServerFixture>
{
    private readonly Dictionary<IRemote, string> _buckets = [];

    protected override async Task<IRemote> OpenAsync(TempDirectory dir)
    {
        var bucket = await server.NewBucketAsync();
        var remote = new S3Remote(bucket, "team/project", $"s3://{bucket}/team/project", server.Client());
        _buckets[remote] = bucket;
        return remote;
    }

    protected override async Task PlantAsync(IRemote remote, string sha256, byte[] bytes)
    {
        using var client = server.Client();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = _buckets[remote], Key = "team/project/" + BlobKey.For(sha256), InputStream = new MemoryStream(bytes), UseChunkEncoding = false });
    }

    [Fact]
    public async Task Listing_pages_through_more_than_a_thousand_blobs()
    {
        using var dir = new TempDirectory();
        await using var remote = await OpenAsync(dir);
        var blobs = Enumerable.Range(0, 1003).Select(i => Blob(dir, System.Text.Encoding.UTF8.GetBytes($"blob {i}"))).ToList();
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (b, ct) => await remote.PutAsync(b.Sha256, b.File, ct));
        Assert.Equal(1003, (await remote.ListAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task An_endpoint_that_is_down_is_one_clear_error()
    {
        // The endpoint the way users give it: AWS variables (port 9, discard: nothing listens).
        string[] names = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
        var before = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "key");
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "never-printed");
            await using var remote = new S3Remote("bucket", string.Empty, "'down' (s3://bucket)");
            var error = await Assert.ThrowsAsync<ReproException>(() => remote.ListAsync(CancellationToken.None));
            Assert.Equal(ExitCode.CannotExecute, error.Code);
            Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("never-printed", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var (name, value) in before)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [Fact]
    public async Task A_missing_bucket_is_named()
    {
        await using var remote = new S3Remote("no-such-bucket-here", string.Empty, "'x' (s3://no-such-bucket-here)", server.Client());
        var error = await Assert.ThrowsAsync<ReproException>(() => remote.ListAsync(CancellationToken.None));
        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Contains("no-such-bucket-here", error.Message, StringComparison.Ordinal);
    }
}
