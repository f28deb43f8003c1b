using System.Security.Cryptography;

namespace Repro.Recording;

/// <summary>Run ids: 32 random lower-case hex digits, so short prefixes are unique in practice.</summary>
public static class RunId
{
    public const string Last = "@last";

    public const int MinimumPrefix = 4;

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsHex(string text) => text.Length > 0 && text.All(char.IsAsciiHexDigitLower);
}
