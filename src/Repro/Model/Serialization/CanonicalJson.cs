using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Repro.Model.Verdicts;

namespace Repro.Model.Serialization;

/// <summary>
/// The one JSON form repro stores and hashes: snake_case names, keys sorted ordinally at every
/// level, UTF-8 without needless escaping, doubles in shortest round-trip form, no whitespace.
/// The same record always gives the same bytes, so its SHA-256 is a stable digest.
/// </summary>
public static class CanonicalJson
{
    private static readonly Lock Gate = new();
    private static IJsonTypeInfoResolver? _documents;
    private static JsonConverter[] _enumConverters = [];
    private static JsonSerializerOptions? _options;
    private static JsonSerializerOptions? _indentedOptions;

    public static JsonSerializerOptions Options => _options ?? Build(ref _options, indented: false);

    public static JsonSerializerOptions IndentedOptions => _indentedOptions ?? Build(ref _indentedOptions, indented: true);

    /// <summary>
    /// Registers the catalogue of document types: their compile-time metadata and one string
    /// converter per enum they hold. The catalogue sits in the top layer (it names documents of
    /// every layer), so it hands itself down here once, when the library is loaded, before any
    /// document is written or read.
    /// </summary>
    public static void UseCatalog(IJsonTypeInfoResolver documents, IEnumerable<JsonConverter> enumConverters)
    {
        lock (Gate)
        {
            if (_options is not null || _indentedOptions is not null)
            {
                throw new InvalidOperationException("the document catalogue is registered once, before the first document is serialised");
            }

            _documents = documents;
            _enumConverters = [.. enumConverters];
        }
    }

    private static JsonSerializerOptions Build(ref JsonSerializerOptions? slot, bool indented)
    {
        lock (Gate)
        {
            return slot ??= CreateOptions(indented);
        }
    }

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            // Compile-time metadata only: no reflection, so repro runs as a native (AOT) program.
            // A type missing from the catalogue fails at its first use, in every test too.
            TypeInfoResolver = _documents ?? throw new InvalidOperationException("no document catalogue is registered (CanonicalJson.UseCatalog)"),
        };
        // Verdicts are upper case (IDENTICAL…); every other enum travels as its snake_case name.
        options.Converters.Add(new VerdictJsonConverter());
        foreach (var converter in _enumConverters)
        {
            options.Converters.Add(converter);
        }

        options.MakeReadOnly();
        return options;
    }

    /// <summary>The compile-time metadata of <typeparamref name="T"/> under the canonical options.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(bool indented = false) =>
        (JsonTypeInfo<T>)(indented ? IndentedOptions : Options).GetTypeInfo(typeof(T));

    /// <summary>Serialises <paramref name="value"/> to canonical UTF-8 bytes.</summary>
    public static byte[] Serialize<T>(T value, bool indented = false)
    {
        // Serialise with the source-generated metadata, then re-write with sorted keys from a
        // JsonDocument: much cheaper than building a JsonNode tree.
        var raw = JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());
        using var document = JsonDocument.Parse(raw);
        return Write(document.RootElement, indented);
    }

    /// <summary>Rewrites any JSON node in canonical form.</summary>
    public static byte[] Write(JsonNode? node, bool indented = false)
    {
        using var document = JsonDocument.Parse(node?.ToJsonString(Options) ?? "null");
        return Write(document.RootElement, indented);
    }

    private static byte[] Write(JsonElement element, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteSorted(writer, element);
        }

        if (indented)
        {
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Builds the serializer's metadata for <paramref name="type"/> and every type it holds, so
    /// the first real call does not pay for it (tens of milliseconds for a run manifest, most of
    /// it JIT-compiling the metadata code for each value type). Commands call it on another
    /// thread while they wait for something else; it is safe beside a real call.
    /// </summary>
    public static void Prepare(Type type) => TypesReachedFrom(type);

    /// <summary>
    /// <paramref name="root"/> and every type its JSON holds (properties, elements, keys; a
    /// nullable's underlying type), each with its metadata built under the canonical options.
    /// </summary>
    internal static IReadOnlySet<Type> TypesReachedFrom(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var popped = pending.Pop();
            var next = Nullable.GetUnderlyingType(popped) ?? popped;
            if (next == typeof(object) || !seen.Add(next))
            {
                continue;
            }

            var info = Options.GetTypeInfo(next);
            foreach (var property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }

            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }

            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }
        }

        return seen;
    }

    /// <summary><see cref="Prepare"/> on a thread-pool thread; a failure there is left for the real call to report.</summary>
    public static Task PrepareInBackground(Type type) => Task.Run(() => Prepare(type));

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize(json, TypeInfo<T>()) ?? throw new JsonException("empty JSON document");

    private static void WriteSorted(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteSorted(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
