using System.Globalization;
using System.Text;
using Repro.Model.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Blobs.Data;

/// <summary>
/// The small YAML file committed beside tracked data (<c>train.csv.repro</c>): the content's
/// SHA-256 (of the file, or of the folder's canonical listing), its size, the file count of a
/// folder, and the path relative to the pointer's folder. Fields are always written in this
/// order so a changed dataset is a two-line diff.
/// </summary>
public sealed record PointerFile
{
    public const string Extension = ".repro";

    public required string Sha256 { get; init; }

    public required long Size { get; init; }

    /// <summary>Number of files when the pointer tracks a folder; null for a file.</summary>
    public int? Files { get; init; }

    /// <summary>The tracked file or folder, relative to the folder holding the pointer file.</summary>
    public required string Path { get; init; }

    public bool IsFolder => Files is not null;

    public string ToYaml()
    {
        var text = new StringBuilder();
        text.Append("# repro data pointer: commit this file; the data is in the cache (repro data push/pull)\n");
        text.Append("sha256: ").Append(Sha256).Append('\n');
        text.Append("size: ").Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (Files is { } files)
        {
            text.Append("files: ").Append(files.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("path: ").Append(QuoteIfNeeded(Path)).Append('\n');
        return text.ToString();
    }

    /// <summary>Parses a pointer file; anything malformed is a usage error naming <paramref name="source"/>.</summary>
    public static PointerFile Parse(string yaml, string source)
    {
        YamlMappingNode mapping;
        try
        {
            var stream = BoundedYaml.Load(yaml);
            mapping = stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode m
                ? m
                : throw ReproException.Usage($"{source}: not a repro pointer file (expected sha256, size and path)");
        }
        catch (YamlException ex)
        {
            throw ReproException.Usage($"{source}: malformed YAML at line {ex.Start.Line}: {ex.Message}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || value is not YamlScalarNode { Value: { } text })
            {
                throw ReproException.Usage($"{source}: every field must be a plain value");
            }

            if (name is not ("sha256" or "size" or "files" or "path"))
            {
                throw ReproException.Usage($"{source}: unknown field '{name}' (a pointer has sha256, size, files, path)");
            }

            values[name] = text;
        }

        var sha = values.GetValueOrDefault("sha256") ?? throw ReproException.Usage($"{source}: no sha256");
        if (!IsSha256(sha))
        {
            throw ReproException.Usage($"{source}: sha256 '{Shorten(sha)}' is not 64 lower-case hex digits");
        }

        if (!values.TryGetValue("size", out var sizeText) || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw ReproException.Usage($"{source}: size must be a whole number of bytes");
        }

        int? files = null;
        if (values.TryGetValue("files", out var filesText))
        {
            files = int.TryParse(filesText, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                ? count
                : throw ReproException.Usage($"{source}: files must be a whole number");
        }

        var path = values.GetValueOrDefault("path");
        if (string.IsNullOrWhiteSpace(path))
        {
            throw ReproException.Usage($"{source}: no path");
        }

        if (path.Any(char.IsControl))
        {
            throw ReproException.Usage($"{source}: the path holds a control character (a NUL, a newline); a pointer names a file by a plain path");
        }

        return new PointerFile { Sha256 = sha, Size = size, Files = files, Path = path };
    }

    public static bool IsSha256(string text) => Repro.Blobs.Hashing.Sha256Hasher.IsHash(text);

    private static string Shorten(string text) => text.Length > 70 ? text[..70] + "…" : text;

    private static string QuoteIfNeeded(string path)
    {
        var plain = path.Length > 0 && path.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or '+' or '=' or ',' or '@')
            && !path.StartsWith('-') && path is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off" or "~");
        if (plain)
        {
            return path;
        }

        return "\"" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
