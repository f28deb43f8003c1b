using System.Security.Cryptography;
using System.Text;

namespace Repro.Evidence.Reports;

/// <summary>
/// An ECDSA P-256 / SHA-256 signature embedded in a report as one line, so one file travels.
/// The signed bytes are the file's bytes with that one line (and its "\n") removed, which are
/// exactly the unsigned report. HTML and Markdown end with
/// <c>&lt;!-- repro-signature: ecdsa-p256-sha256 key=sha256:HEX sig=BASE64 --&gt;</c>; JSON has
/// <c>  "repro_signature": {…},</c> as its second line. The signature is DER (RFC 3279), so
/// <c>openssl dgst -sha256 -verify KEY.pub -signature SIG</c> checks it too.
/// </summary>
public static class ReportSignature
{
    public const string Algorithm = "ecdsa-p256-sha256";

    private const string HtmlMarker = "<!-- repro-signature: ";
    private const string JsonMarker = "  \"repro_signature\": ";

    public static string Sign(string report, ReportFormat format, ECDsa key)
    {
        if (FindSignatureLines(report).Count > 0)
        {
            throw ReproException.Conflict("the report is already signed");
        }

        var signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(report), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        var fingerprint = ReportKeys.Fingerprint(key);
        if (format == ReportFormat.Json)
        {
            var firstLine = report.IndexOf('\n', StringComparison.Ordinal) + 1;
            var line = $"{JsonMarker}{{\"algorithm\": \"{Algorithm}\", \"key\": \"{fingerprint}\", \"value\": \"{signature}\"}},\n";
            return report[..firstLine] + line + report[firstLine..];
        }

        return report + $"{HtmlMarker}{Algorithm} key={fingerprint} sig={signature} -->\n";
    }

    public static SignatureCheck Verify(byte[] file, ECDsa publicKey)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file);
        }
        catch (DecoderFallbackException)
        {
            return new SignatureCheck(false, null, "not a repro report: the file is not UTF-8 text");
        }

        var lines = FindSignatureLines(text);
        if (lines.Count == 0)
        {
            return new SignatureCheck(false, null, "the report is not signed (no repro-signature line)");
        }

        if (lines.Count > 1)
        {
            return new SignatureCheck(false, null, "the report has more than one signature line");
        }

        var (start, length) = lines[0];
        var line = text.Substring(start, length);
        var (algorithm, fingerprint, value) = Parse(line);
        if (algorithm != Algorithm || fingerprint is null || value is null)
        {
            return new SignatureCheck(false, fingerprint, "the signature line is malformed");
        }

        var expected = ReportKeys.Fingerprint(publicKey);
        if (fingerprint != expected)
        {
            return new SignatureCheck(false, fingerprint, $"signed with key {fingerprint}, not with the given key {expected}");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return new SignatureCheck(false, fingerprint, "the signature is not base64");
        }

        var signed = Encoding.UTF8.GetBytes(text.Remove(start, length));
        return publicKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ? new SignatureCheck(true, fingerprint, $"signature valid: the report is unchanged since key {fingerprint} signed it")
            : new SignatureCheck(false, fingerprint, "signature INVALID: the report was changed after it was signed");
    }

    /// <summary>Start and length (newline included) of every line that is a signature line.</summary>
    private static List<(int Start, int Length)> FindSignatureLines(string text)
    {
        var found = new List<(int, int)>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var length = (end < 0 ? text.Length : end + 1) - start;
            if (string.CompareOrdinal(text, start, HtmlMarker, 0, HtmlMarker.Length) == 0 || string.CompareOrdinal(text, start, JsonMarker, 0, JsonMarker.Length) == 0)
            {
                found.Add((start, length));
            }

            start += length;
        }

        return found;
    }

    private static (string? Algorithm, string? Key, string? Value) Parse(string line)
    {
        line = line.TrimEnd('\n');
        if (line.StartsWith(HtmlMarker, StringComparison.Ordinal) && line.EndsWith(" -->", StringComparison.Ordinal))
        {
            var parts = line[HtmlMarker.Length..^4].Split(' ');
            return parts.Length == 3 && parts[1].StartsWith("key=", StringComparison.Ordinal) && parts[2].StartsWith("sig=", StringComparison.Ordinal)
                ? (parts[0], parts[1][4..], parts[2][4..])
                : (null, null, null);
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(line[JsonMarker.Length..].TrimEnd(','));
            var root = document.RootElement;
            return (root.GetProperty("algorithm").GetString(), root.GetProperty("key").GetString(), root.GetProperty("value").GetString());
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (null, null, null);
        }
    }
}
