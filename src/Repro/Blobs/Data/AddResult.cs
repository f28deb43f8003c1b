namespace Repro.Blobs.Data;

/// <summary>What <c>data add</c> did for one path.</summary>
public sealed record AddResult(string Path, string PointerPath, PointerFile Pointer, bool Changed);
