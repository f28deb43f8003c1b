using System.Text.RegularExpressions;

namespace Repro.Capture;

/// <summary>Removes user names and passwords from URLs before anything is stored.</summary>
public static partial class UrlRedactor
{
    /// <summary>
    /// Strips the user-info part of a URL (<c>https://user:token@host/x</c> → <c>https://host/x</c>).
    /// scp-style git remotes (<c>git@host:org/repo</c>) keep their login name: it is not a secret.
    /// </summary>
    public static string Redact(string url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return url;
        }

        var match = SchemeUserInfo().Match(url);
        if (match.Success)
        {
            return match.Groups["scheme"].Value + url[(match.Index + match.Length)..];
        }

        return url;
    }

    /// <summary>Redacts every URL inside a longer text (a variable value, a command line).</summary>
    public static string RedactAll(string text) =>
        string.IsNullOrEmpty(text) ? text : EmbeddedUserInfo().Replace(text, m => m.Groups["scheme"].Value);

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/@\s]*@")]
    private static partial Regex SchemeUserInfo();

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/@\s]*@")]
    private static partial Regex EmbeddedUserInfo();
}
