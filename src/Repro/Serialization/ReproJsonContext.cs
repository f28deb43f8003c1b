using System.Text.Json.Serialization;
using Repro.Domain;
using Repro.Hashing;

namespace Repro.Serialization;

/// <summary>
/// Compile-time JSON metadata for the stored records: without it, reflection-based set-up of the
/// manifest's type graph costs about 100 ms at the start of every <c>repro</c> process.
/// </summary>
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(EnvironmentSnapshot))]
[JsonSerializable(typeof(List<DirectoryEntry>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Storage.RunSummary))]
[JsonSerializable(typeof(List<Storage.RunSummary>))]
[JsonSerializable(typeof(IReadOnlyList<Storage.RunSummary>))]
internal sealed partial class ReproJsonContext : JsonSerializerContext
{
}
