using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Repro.Evidence.Reports;

namespace Repro.Tests.Reports;

public sealed class ReportSignatureTests
{
    [Theory]
    [InlineData(ReportFormat.Html)]
    [InlineData(ReportFormat.Markdown)]
    [InlineData(ReportFormat.Json)]
    public void A_signed_report_verifies_and_one_changed_byte_breaks_it(ReportFormat format)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var report = ReportRenderer.Render(ReportFixtures.RunReport(), format);
        var signed = ReportSignature.Sign(report, format, key);
        Assert.True(ReportSignature.Verify(Encoding.UTF8.GetBytes(signed), key).Valid);

        var tampered = signed.Replace("0.925", "0.935", StringComparison.Ordinal);
        Assert.NotEqual(signed, tampered);
        var check = ReportSignature.Verify(Encoding.UTF8.GetBytes(tampered), key);
        Assert.False(check.Valid);
        Assert.Contains("changed after it was signed", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_signed_bytes_are_the_report_without_its_signature_line()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var report = ReportRenderer.Render(ReportFixtures.RunReport(), ReportFormat.Json);
        var signed = ReportSignature.Sign(report, ReportFormat.Json, key);
        var lines = signed.Split('\n').ToList();
        Assert.StartsWith("  \"repro_signature\": ", lines[1], StringComparison.Ordinal);
        lines.RemoveAt(1);
        Assert.Equal(report, string.Join('\n', lines));

        // The signed JSON is still one JSON document, and the signature checks with the DER form openssl uses.
        using var document = JsonDocument.Parse(signed);
        var signature = document.RootElement.GetProperty("repro_signature");
        Assert.Equal("ecdsa-p256-sha256", signature.GetProperty("algorithm").GetString());
        Assert.True(key.VerifyData(Encoding.UTF8.GetBytes(report), Convert.FromBase64String(signature.GetProperty("value").GetString()!), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Another_key_an_unsigned_report_and_a_second_signature_line_do_not_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var report = ReportRenderer.Render(ReportFixtures.RunReport(), ReportFormat.Html);
        var signed = ReportSignature.Sign(report, ReportFormat.Html, key);

        Assert.Contains("not with the given key", ReportSignature.Verify(Encoding.UTF8.GetBytes(signed), other).Message, StringComparison.Ordinal);
        Assert.Contains("not signed", ReportSignature.Verify(Encoding.UTF8.GetBytes(report), key).Message, StringComparison.Ordinal);
        var twice = signed + signed.Split('\n')[^2] + "\n";
        Assert.Contains("more than one", ReportSignature.Verify(Encoding.UTF8.GetBytes(twice), key).Message, StringComparison.Ordinal);
        Assert.Throws<ReproException>(() => ReportSignature.Sign(signed, ReportFormat.Html, key));
    }

    [Fact]
    public async Task A_new_key_pair_is_private_0600_with_the_public_half_beside_it_and_never_overwritten()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("signing.pem");
        var fingerprint = await ReportKeys.CreateAsync(path, CancellationToken.None);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains("BEGIN PRIVATE KEY", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Contains("BEGIN PUBLIC KEY", await File.ReadAllTextAsync(path + ".pub"), StringComparison.Ordinal);
        using (var pub = ReportKeys.LoadPublic(path + ".pub"))
        {
            Assert.Equal(fingerprint, ReportKeys.Fingerprint(pub));
        }

        var before = await File.ReadAllTextAsync(path);
        var again = await Assert.ThrowsAsync<ReproException>(() => ReportKeys.CreateAsync(path, CancellationToken.None));
        Assert.Equal(ExitCode.Usage, again.Code);
        Assert.Equal(before, await File.ReadAllTextAsync(path));
        Assert.Throws<ReproException>(() => ReportKeys.LoadPrivate(path + ".pub"));
    }
}
