namespace Repro.Blobs.Storage;

/// <summary>A blob a run refers to and what it is to the run ("output preds.csv", "code patch"…).</summary>
public sealed record BlobUse(string Sha256, string What, bool IsInput);
