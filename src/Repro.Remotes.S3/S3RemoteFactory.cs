using Repro.Blobs.Remotes;

namespace Repro.Remotes.S3;

/// <summary>Opens <c>s3://bucket/prefix</c> remotes; the program registers it with <see cref="RemoteSchemes"/>.</summary>
public sealed class S3RemoteFactory : IRemoteFactory
{
    public static S3RemoteFactory Instance { get; } = new();

    public string Scheme => "s3";

    public IRemote Open(string rest, string display)
    {
        ArgumentNullException.ThrowIfNull(rest);
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0
            ? new S3Remote(rest, string.Empty, display)
            : new S3Remote(rest[..slash], rest[(slash + 1)..], display);
    }
}
