using Repro.Blobs.Storage;

namespace Repro.Blobs.Data;

/// <summary>What <c>data checkout</c> did for one tracked path: files written (by how) and files removed.</summary>
public sealed record CheckoutResult(string Path, int Written, int Removed, IReadOnlyDictionary<LinkKind, int> ByKind)
{
    public bool Unchanged => Written == 0 && Removed == 0;
}
