using System.Text.Json;

namespace Repro.Server;

/// <summary>JSON options for everything the server writes.</summary>
public static class ServerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
