using System.Security.Cryptography;
using Repro.Model.Serialization;

namespace Repro.Evidence.Reports;

/// <summary>
/// ECDSA P-256 key pairs for signing reports: the private key as PKCS#8 PEM readable by its
/// owner only (0600), the public key beside it as <c>KEYFILE.pub</c> (SubjectPublicKeyInfo PEM).
/// </summary>
public static class ReportKeys
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>Writes a new pair; never overwrites either file. Returns the public key's fingerprint.</summary>
    public static async Task<string> CreateAsync(string path, CancellationToken cancellationToken)
    {
        var publicPath = path + ".pub";
        foreach (var existing in new[] { path, publicPath }.Where(File.Exists))
        {
            throw ReproException.Conflict($"{existing} already exists: repro never overwrites a key file");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(directory))
        {
            throw ReproException.NotFound($"cannot write {path}: folder {directory} does not exist");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await WriteNewAsync(path, key.ExportPkcs8PrivateKeyPem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite, cancellationToken);
        await WriteNewAsync(publicPath, key.ExportSubjectPublicKeyInfoPem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, cancellationToken);
        return Fingerprint(key);
    }

    /// <summary>"sha256:" and the hex SHA-256 of the public key's SubjectPublicKeyInfo (DER).</summary>
    public static string Fingerprint(ECDsa key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public static ECDsa LoadPrivate(string path) => Load(path, requirePrivate: true);

    public static ECDsa LoadPublic(string path) => Load(path, requirePrivate: false);

    private static ECDsa Load(string path, bool requirePrivate)
    {
        if (!File.Exists(path))
        {
            throw ReproException.NotFound($"key file {path} not found{(requirePrivate ? " (make one with `repro key new KEYFILE`)" : string.Empty)}");
        }

        var pem = BoundedFile.ReadAllText(path, ReportLimits.MaxKeyBytes);
        if (requirePrivate && !pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw ReproException.Usage($"{path} holds no private key: sign with the key file, not its .pub");
        }

        if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            throw ReproException.Usage($"{path} is an encrypted private key: repro needs an unencrypted PKCS#8 key (`repro key new`)");
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid.Value != P256Oid)
            {
                throw ReproException.Usage($"{path} is not an ECDSA P-256 key");
            }

            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw ReproException.Usage($"{path} is not an ECDSA P-256 key in PEM: {ex.Message}");
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static async Task WriteNewAsync(string path, string content, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            await using var stream = new FileStream(path, options);
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(content), cancellationToken);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw ReproException.Conflict($"{path} already exists: repro never overwrites a key file");
        }
    }
}
