using System.Text.Json;
using System.Text.Json.Serialization;

namespace Repro.Server;

/// <summary>
/// Compile-time JSON metadata (web defaults) for the documents the server writes with the
/// serializer; the MLflow answers themselves are written field by field.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ServerJson : JsonSerializerContext
{
}
