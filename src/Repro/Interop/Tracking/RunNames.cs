using System.Globalization;
using System.Security.Cryptography;

namespace Repro.Interop.Tracking;

/// <summary>Names like MLflow gives a run created without one: adjective-noun-number.</summary>
public static class RunNames
{
    private static readonly string[] Adjectives = ["amazing", "bold", "brave", "calm", "clever", "eager", "gentle", "happy", "keen", "lucky", "merry", "quiet", "rare", "sharp", "swift", "wise"];

    private static readonly string[] Nouns = ["ant", "bass", "bear", "crane", "deer", "finch", "fox", "hawk", "lark", "mole", "owl", "seal", "shrew", "stag", "toad", "wolf"];

    public static string Generate() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}-{RandomNumberGenerator.GetInt32(1000)}");
}
