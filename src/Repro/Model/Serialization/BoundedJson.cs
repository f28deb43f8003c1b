using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Model.Serialization;

/// <summary>
/// Parses JSON only after one streaming pass (no recursion, no allocation per token) has checked
/// it against <see cref="JsonLimits"/>: its size, its nesting, the length of every number and
/// that every number fits a double. A file over a limit is refused with an
/// <see cref="InputLimitException"/> naming it; malformed JSON, and a number out of a double's
/// range, throw <see cref="JsonException"/> as System.Text.Json does.
/// </summary>
public static class BoundedJson
{
    /// <summary>Reads and parses a JSON file, its size checked before it is read.</summary>
    public static JsonDocument ParseFile(string path, string? displayPath = null, bool lenient = false)
    {
        var bytes = BoundedFile.ReadAllBytes(path, JsonLimits.MaxBytes, displayPath);
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        return Parse(bytes.AsMemory(start), displayPath ?? path, lenient);
    }

    public static JsonDocument Parse(string text, string source, bool lenient = false, InputLimit? maxBytes = null) => Parse(Encoding.UTF8.GetBytes(text), source, lenient, maxBytes);

    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8, string source, bool lenient = false, InputLimit? maxBytes = null)
    {
        Check(utf8.Span, source, lenient, maxBytes);
        return JsonDocument.Parse(utf8, DocumentOptions(lenient));
    }

    public static JsonNode? ParseNode(string text, string source, bool lenient = false)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        Check(utf8, source, lenient);
        return JsonNode.Parse(utf8, documentOptions: DocumentOptions(lenient));
    }

    /// <summary>Throws <see cref="InputLimitException"/> when <paramref name="utf8"/> is over a limit, <see cref="JsonException"/> when it is not JSON.</summary>
    public static void Check(ReadOnlySpan<byte> utf8, string source, bool lenient = false, InputLimit? maxBytes = null)
    {
        maxBytes ??= JsonLimits.MaxBytes;
        if (utf8.Length > maxBytes.Value)
        {
            throw new InputLimitException(source, string.Create(CultureInfo.InvariantCulture, $"{utf8.Length} bytes of JSON"), maxBytes);
        }

        var maxDepth = JsonLimits.MaxDepth;
        var maxNumber = JsonLimits.MaxNumberChars;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            // The reader keeps its depth in a bit stack, so it can look deeper than the limit and let us say so.
            MaxDepth = (int)Math.Min(int.MaxValue, maxDepth.Value + 1),
            CommentHandling = lenient ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
            AllowTrailingCommas = lenient,
        });
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= maxDepth.Value:
                    throw new InputLimitException(source, string.Create(CultureInfo.InvariantCulture, $"JSON nested deeper than {maxDepth.Value} levels at byte {reader.TokenStartIndex}"), maxDepth);
                case JsonTokenType.Number:
                    var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                    if (length > maxNumber.Value)
                    {
                        throw new InputLimitException(source, string.Create(CultureInfo.InvariantCulture, $"a number of {length} characters at byte {reader.TokenStartIndex}"), maxNumber);
                    }

                    if (!double.TryParse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    {
                        throw new JsonException(string.Create(CultureInfo.InvariantCulture, $"the number {Encoding.UTF8.GetString(reader.ValueSpan)} at byte {reader.TokenStartIndex} is out of range (it does not fit a 64-bit floating-point number)"));
                    }

                    break;
            }
        }
    }

    private static JsonDocumentOptions DocumentOptions(bool lenient) => new()
    {
        MaxDepth = (int)Math.Min(int.MaxValue, JsonLimits.MaxDepth.Value + 1),
        CommentHandling = lenient ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
        AllowTrailingCommas = lenient,
    };
}
