namespace Repro.Blobs.Remotes;

/// <summary>Opens the remotes of one URL scheme (<c>s3</c>: <c>s3://bucket/prefix</c>).</summary>
public interface IRemoteFactory
{
    /// <summary>The scheme, without "://".</summary>
    string Scheme { get; }

    /// <summary>The remote a URL names; <paramref name="rest"/> is the URL after "scheme://", already validated.</summary>
    IRemote Open(string rest, string display);
}
