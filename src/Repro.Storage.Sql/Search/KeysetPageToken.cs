using System.Text;
using System.Text.Json;

namespace Repro.Storage.Sql.Search;

/// <summary>
/// The opaque page_token: base64 of JSON holding the sort values of the last run shown (keyset
/// paging: the next page starts right after it, however deep) and a fingerprint of the query.
/// </summary>
internal static class KeysetPageToken
{
    public static string Encode(string fingerprint, IReadOnlyList<object?> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("q", fingerprint);
            writer.WriteStartArray("v");
            foreach (var value in values)
            {
                switch (value)
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case string text:
                        writer.WriteStringValue(text);
                        break;
                    case double real:
                        writer.WriteNumberValue(real);
                        break;
                    case long integer:
                        writer.WriteNumberValue(integer);
                        break;
                    default:
                        throw new InvalidOperationException($"a sort value of type {value.GetType().Name} cannot go into a page token");
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Convert.ToBase64String(buffer.ToArray());
    }

    public static IReadOnlyList<object?> Decode(string token, string fingerprint, IReadOnlyList<SqlValueType> types)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(token);
        }
        catch (FormatException)
        {
            throw new SearchFilterException("Invalid page token, could not base64-decode");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("q", out var q) || q.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("v", out var v) || v.ValueKind != JsonValueKind.Array)
            {
                throw new SearchFilterException($"Invalid page token, decoded value={Encoding.UTF8.GetString(bytes)}");
            }

            if (q.GetString() != fingerprint)
            {
                throw new SearchFilterException("Invalid page token: it belongs to a search with another filter or order_by");
            }

            var items = v.EnumerateArray().ToList();
            if (items.Count != types.Count)
            {
                throw new SearchFilterException($"Invalid page token, decoded value={Encoding.UTF8.GetString(bytes)}");
            }

            var values = new object?[types.Count];
            for (var i = 0; i < types.Count; i++)
            {
                var item = items[i];
                values[i] = item.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String when types[i] == SqlValueType.Text => item.GetString(),
                    JsonValueKind.Number when types[i] == SqlValueType.Real => item.GetDouble(),
                    JsonValueKind.Number when types[i] == SqlValueType.Integer => item.GetInt64(),
                    _ => throw new SearchFilterException($"Invalid page token, decoded value={Encoding.UTF8.GetString(bytes)}"),
                };
            }

            return values;
        }
        catch (JsonException)
        {
            throw new SearchFilterException("Invalid page token, could not parse it");
        }
        catch (FormatException)
        {
            throw new SearchFilterException("Invalid page token, could not parse it");
        }
    }
}
