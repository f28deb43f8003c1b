using System.Text;
using System.Text.Json;

namespace Repro.Storage.Sql.Tracking;

/// <summary>MLflow's page tokens: base64 of <c>{"offset": N}</c>, opaque to clients.</summary>
public static class OffsetPageToken
{
    public static string For(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"offset\": {offset}}}")));

    public static int Offset(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return 0;
        }

        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(token));
            if (document.RootElement.TryGetProperty("offset", out var offset) && offset.TryGetInt32(out var value) && value >= 0)
            {
                return value;
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
        }

        throw TrackingException.Invalid($"Invalid page token, could not base64-decode or parse it: '{token}'");
    }
}
