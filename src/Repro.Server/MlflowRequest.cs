using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Repro.Interop.Tracking;

namespace Repro.Server;

/// <summary>
/// One MLflow API request's fields, from the JSON body (POST) or the query string (GET, as the
/// Python client sends experiments/get, runs/get and metrics/get-history). Int64 fields may be
/// JSON numbers or strings and doubles may be "NaN", "Infinity" or "-Infinity", as protobuf's
/// JSON mapping allows.
/// </summary>
internal sealed class MlflowRequest
{
    private readonly JsonElement _body;
    private readonly IQueryCollection? _query;

    private MlflowRequest(JsonElement body, IQueryCollection? query)
    {
        _body = body;
        _query = query;
    }

    public static async Task<MlflowRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsGet(request.Method))
        {
            return new MlflowRequest(default, request.Query);
        }

        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException ex)
        {
            // A chunked body that grew past the limit: Kestrel stops reading it at MaxRequestBodySize.
            throw new TrackingException(TrackingException.BadRequestCode, $"The request body could not be read: {ex.Message}");
        }

        if (buffer.Length == 0)
        {
            return new MlflowRequest(default, request.Query);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = (int)Math.Min(int.MaxValue, ServerLimits.MaxJsonDepth.Value) });
        }
        catch (JsonException ex)
        {
            throw new TrackingException(TrackingException.BadRequestCode, $"Malformed JSON in the request body: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new TrackingException(TrackingException.BadRequestCode, "The request body must be a JSON object");
            }

            return new MlflowRequest(document.RootElement.Clone(), null);
        }
    }

    public string? String(string name)
    {
        if (_query is not null)
        {
            return _query.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;
        }

        if (!TryGet(name, out var element))
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => throw Invalid(name, element.GetRawText()),
        };
    }

    public string RequiredString(string name) => String(name) ?? throw Missing(name);

    /// <summary>run_id, or the deprecated run_uuid older clients send.</summary>
    public string RunId()
    {
        var id = String("run_id") is { Length: > 0 } runId ? runId : String("run_uuid") is { Length: > 0 } uuid ? uuid : throw Missing("run_id");
        MlflowValidation.RunId(id);
        return id;
    }

    public long? Int64(string name)
    {
        string? text;
        if (_query is not null)
        {
            text = String(name);
        }
        else if (!TryGet(name, out var element))
        {
            return null;
        }
        else if (element.ValueKind == JsonValueKind.Number)
        {
            if (element.TryGetInt64(out var number))
            {
                return number;
            }

            text = element.GetRawText();
        }
        else
        {
            text = element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
        }

        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Invalid(name, text);
    }

    public double? Double(string name) => _query is not null
        ? String(name) is { } text ? ParseDouble(name, text) : null
        : TryGet(name, out var element) ? DoubleOf(name, element) : null;

    public IReadOnlyList<string> StringList(string name)
    {
        if (_query is not null)
        {
            return _query.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!).ToList() : [];
        }

        if (!TryGet(name, out var element))
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(name, element.GetRawText());
        }

        return element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ValueKind == JsonValueKind.Number ? e.GetRawText() : throw Invalid(name, e.GetRawText())).ToList();
    }

    /// <summary>Key/value entries (params, tags) of a repeated field.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs(string name) =>
        Objects(name).Select(e => new KeyValuePair<string, string>(Field(e, name, "key") ?? throw Missing($"{name}.key"), Field(e, name, "value") ?? string.Empty)).ToList();

    /// <summary>The entries of the metrics field of log-batch.</summary>
    public IReadOnlyList<MlflowMetric> Metrics(string name) => Objects(name).Select(e =>
    {
        var key = Field(e, name, "key") ?? throw Missing($"{name}.key");
        var value = e.TryGetProperty("value", out var v) && v.ValueKind != JsonValueKind.Null ? DoubleOf("value", v) : throw Missing($"{name}.value");
        var timestamp = e.TryGetProperty("timestamp", out var t) && t.ValueKind != JsonValueKind.Null ? Int64Of("timestamp", t) : throw Missing($"{name}.timestamp");
        var step = e.TryGetProperty("step", out var s) && s.ValueKind != JsonValueKind.Null ? Int64Of("step", s) : 0;
        return new MlflowMetric(key, value, timestamp, step);
    }).ToList();

    public bool Has(string name) => _query is not null ? _query.ContainsKey(name) : TryGet(name, out _);

    public static TrackingException Missing(string name) =>
        TrackingException.Invalid($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    private static TrackingException Invalid(string name, string value) =>
        TrackingException.Invalid($"Invalid value {value} for parameter '{name}' supplied.");

    private IEnumerable<JsonElement> Objects(string name)
    {
        if (_query is not null || !TryGet(name, out var element))
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(name, element.GetRawText());
        }

        return element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object ? e : throw Invalid(name, e.GetRawText()));
    }

    private static string? Field(JsonElement entry, string parent, string name) =>
        !entry.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False ? value.GetRawText()
        : throw Invalid($"{parent}.{name}", value.GetRawText());

    private static double DoubleOf(string name, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => ParseDouble(name, element.GetString()!),
        _ => throw TrackingException.Invalid($"Got invalid value {element.GetRawText()} for metric '{name}'. Please specify value as a valid double (64-bit floating point)"),
    };

    private static long Int64Of(string name, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var number))
        {
            return number;
        }

        if (element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Invalid(name, element.GetRawText());
    }

    private static double ParseDouble(string name, string text) => text switch
    {
        "NaN" or "nan" => double.NaN,
        "Infinity" or "inf" => double.PositiveInfinity,
        "-Infinity" or "-inf" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(name, $"'{text}'"),
    };

    private bool TryGet(string name, out JsonElement element)
    {
        if (_body.ValueKind == JsonValueKind.Object && _body.TryGetProperty(name, out element) && element.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        element = default;
        return false;
    }
}
