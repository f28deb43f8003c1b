using System.Text.Json.Serialization;

namespace Repro.Interop.Tracking;

/// <summary>
/// Compile-time JSON metadata for the file a running tracking server leaves in the workspace
/// (serializer defaults: the file's names are the properties' own).
/// </summary>
[JsonSerializable(typeof(TrackingServerFile))]
internal sealed partial class TrackingServerJson : JsonSerializerContext;
