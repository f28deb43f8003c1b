using System.Net;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Repro.Blobs.Hashing;
using Repro.Blobs.Remotes;

namespace Repro.Remotes.S3;

/// <summary>
/// A remote in an S3 bucket (or anything speaking S3). Endpoint, region and credentials come
/// from the usual AWS variables and files through the SDK, never from repro's own files. A PUT
/// is atomic in S3 and carries the MD5 of exactly the bytes hashed here, so the server refuses
/// bytes damaged on the way and no key ever holds a partial or wrong blob.
/// </summary>
public sealed class S3Remote : IRemote
{
    /// <summary>Blobs up to this size are read once into memory; larger ones are hashed, then sent from the file.</summary>
    private const long InMemoryLimit = 64L << 20;

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3Remote(string bucket, string prefix, string display)
        : this(bucket, prefix, display, new AmazonS3Client(CreateConfig()))
    {
    }

    /// <summary>With a client configured by the caller (tests that must not change the process's AWS variables).</summary>
    internal S3Remote(string bucket, string prefix, string display, AmazonS3Client client)
    {
        _bucket = bucket;
        _prefix = prefix.Trim('/').Length == 0 ? string.Empty : prefix.Trim('/') + "/";
        Display = display;
        _client = client;
    }

    public string Display { get; }

    /// <summary>Path-style addressing, the endpoint from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL (or the SDK's config file), no default checksums that S3 stand-ins reject.</summary>
    public static AmazonS3Config CreateConfig()
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") is { Length: > 0 } s3 ? s3
            : Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } any ? any
            : null;
        var region = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } r ? r
            : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d
            : null;
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        return config;
    }

    public async Task<IReadOnlySet<string>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        // Version 1 listing with a marker: every S3 stand-in pages it correctly (s3rver's v2 continuation fails).
        var request = new ListObjectsRequest { BucketName = _bucket, Prefix = _prefix + "sha256/" };
        await CallAsync(async () =>
        {
            ListObjectsResponse response;
            do
            {
                response = await _client.ListObjectsAsync(request, cancellationToken);
                var objects = response.S3Objects ?? [];
                foreach (var item in objects)
                {
                    if (BlobKey.Parse(item.Key) is { } sha)
                    {
                        found.Add(sha);
                    }
                }

                request.Marker = response.NextMarker ?? (objects.Count > 0 ? objects[^1].Key : null);
            }
            while (response.IsTruncated == true && request.Marker is not null);
            return 0;
        });
        return found;
    }

    public async Task<bool> ContainsAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(() => _client.GetObjectMetadataAsync(_bucket, Key(sha256), cancellationToken));
            return true;
        }
        catch (ReproException ex) when (ex.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound })
        {
            return false;
        }
    }

    public async Task PutAsync(string sha256, string sourcePath, CancellationToken cancellationToken)
    {
        // One pass gives the SHA-256 (is this the blob?) and the MD5 S3 checks on arrival.
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
#pragma warning disable CA5351 // Content-MD5 is S3's integrity check on arrival, not a security measure.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        var length = new FileInfo(sourcePath).Length;
        byte[]? bytes = null;
        if (length <= InMemoryLimit)
        {
            bytes = await File.ReadAllBytesAsync(sourcePath, cancellationToken);
            sha.AppendData(bytes);
            md5.AppendData(bytes);
        }
        else
        {
            var buffer = new byte[1 << 20];
            await using var input = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                md5.AppendData(buffer, 0, read);
            }
        }

        var actual = Sha256Hasher.ToHex(sha.GetHashAndReset());
        if (actual != sha256)
        {
            throw ReproException.CannotExecute($"not uploaded: the local blob {sha256[..12]} hashes to {actual[..12]} (corrupt cache; run `repro data fsck`)");
        }

        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = Key(sha256),
            MD5Digest = Convert.ToBase64String(md5.GetHashAndReset()),
            UseChunkEncoding = false,
            ContentType = "application/octet-stream",
        };
        if (bytes is not null)
        {
            request.InputStream = new MemoryStream(bytes, writable: false);
        }
        else
        {
            // Cache blobs are read-only and never rewritten: the file sent is the file hashed.
            request.FilePath = sourcePath;
        }

        request.Metadata.Add("sha256", sha256);
        await CallAsync(() => _client.PutObjectAsync(request, cancellationToken));
    }

    public async Task<Stream?> OpenReadAsync(string sha256, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CallAsync(() => _client.GetObjectAsync(_bucket, Key(sha256), cancellationToken));
            return new ResponseStream(response);
        }
        catch (ReproException ex) when (ex.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.NotFound, ErrorCode: not "NoSuchBucket" })
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Key(string sha256) => _prefix + BlobKey.For(sha256);

    /// <summary>Turns the SDK's failures into one line naming the remote (never the credentials).</summary>
    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound && ex.ErrorCode == "NoSuchBucket")
        {
            throw new ReproException(ExitCode.CannotExecute, $"remote {Display}: bucket '{_bucket}' does not exist", ex);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new ReproException(ExitCode.CannotExecute, $"remote {Display}: access denied ({ex.ErrorCode}); check the AWS credentials in the environment or ~/.aws", ex);
        }
        catch (AmazonS3Exception ex)
        {
            throw new ReproException(ExitCode.CannotExecute, $"remote {Display}: {(ex.ErrorCode is { Length: > 0 } code ? code + ": " : string.Empty)}{ex.Message}", ex);
        }
        catch (AmazonClientException ex) when (ex.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new ReproException(ExitCode.CannotExecute, $"remote {Display}: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)", ex);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or IOException or TaskCanceledException && !(ex is OperationCanceledException { CancellationToken.IsCancellationRequested: true }))
        {
            throw new ReproException(ExitCode.CannotExecute, $"remote {Display} cannot be reached: {Innermost(ex).Message}", ex);
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    /// <summary>The body of a GET, disposing the response with it.</summary>
    private sealed class ResponseStream(GetObjectResponse response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => response.ResponseStream.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => response.ResponseStream.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => response.ResponseStream.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
