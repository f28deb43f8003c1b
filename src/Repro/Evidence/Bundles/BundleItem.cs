namespace Repro.Evidence.Bundles;

/// <summary>A stored record in a bundle: its id and the SHA-256 of its canonical JSON.</summary>
public sealed record BundleItem(string Id, string Digest);
