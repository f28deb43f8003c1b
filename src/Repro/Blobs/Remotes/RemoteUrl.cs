using System.Text.RegularExpressions;

namespace Repro.Blobs.Remotes;

/// <summary>Checks remote URLs (<c>s3://bucket/prefix</c>, <c>file:///folder</c>, a plain path) and opens them.</summary>
public static partial class RemoteUrl
{
    /// <summary>Throws a usage error for a URL repro cannot use or must not store (one holding credentials).</summary>
    public static void Validate(string url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw ReproException.Usage("remote URL is empty");
        }

        if (url.StartsWith("s3://", StringComparison.Ordinal))
        {
            var rest = url["s3://".Length..];
            var bucket = rest.Split('/')[0];
            if (bucket.Contains('@', StringComparison.Ordinal))
            {
                throw ReproException.Usage("remote URL holds credentials: repro never stores them; use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an AWS profile");
            }

            if (!BucketName().IsMatch(bucket))
            {
                throw ReproException.Usage($"'{bucket}' is not an S3 bucket name (3-63 lower-case letters, digits, '.' or '-')");
            }

            return;
        }

        if (url.StartsWith("file://", StringComparison.Ordinal))
        {
            if (!url.StartsWith("file:///", StringComparison.Ordinal))
            {
                throw ReproException.Usage($"{url}: only local file URLs (file:///folder) are supported");
            }

            return;
        }

        if (SchemePrefix().IsMatch(url))
        {
            throw ReproException.Usage($"{url}: unsupported remote (use s3://bucket/prefix, file:///folder or a folder path)");
        }
    }

    /// <summary>Opens the remote a URL names; a relative folder is relative to the workspace root.</summary>
    public static IRemote Open(RemoteSpec spec, string workspaceRoot)
    {
        Validate(spec.Url);
        var display = $"'{spec.Name}' ({Capture.UrlRedactor.Redact(spec.Url)})";
        if (spec.Url.StartsWith("s3://", StringComparison.Ordinal))
        {
            var factory = RemoteSchemes.Find("s3") ?? throw ReproException.Usage($"{spec.Url}: this build of repro has no S3 remotes");
            return factory.Open(spec.Url["s3://".Length..], display);
        }

        var path = spec.Url.StartsWith("file://", StringComparison.Ordinal)
            ? Uri.UnescapeDataString(new Uri(spec.Url).AbsolutePath)
            : Path.GetFullPath(spec.Url, workspaceRoot);
        return new FolderRemote(path, display);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex SchemePrefix();
}
