using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Repro.Model.Serialization;

namespace Repro.Catalog;

/// <summary>
/// Hands the catalogue of document types down to <see cref="CanonicalJson"/> when the library
/// is loaded. The catalogue names documents of every layer, so it lives in the top one; the
/// serializer it configures lives in the bottom one and imports nothing above it.
/// </summary>
internal static class DocumentCatalog
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Composition of one assembly's own layers: it runs before any code of the library, registers compile-time metadata only, and has no other effect.")]
    internal static void Register() => CanonicalJson.UseCatalog(ReproJsonContext.Default, ReproJsonContext.EnumConverters());
}
