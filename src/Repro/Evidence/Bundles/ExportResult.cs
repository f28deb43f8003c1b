namespace Repro.Evidence.Bundles;

/// <summary>What <c>repro export</c> wrote: the bundle's path and digest, and what is in it.</summary>
public sealed record ExportResult(string Path, string Sha256, long Size, BundleIndex Index);
