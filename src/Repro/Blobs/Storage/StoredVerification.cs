using Repro.Model.Verdicts;

namespace Repro.Blobs.Storage;

/// <summary>A verification report as stored: its canonical JSON and the SHA-256 digest of those bytes.</summary>
public sealed record StoredVerification(VerificationReport Report, string Json, string Digest);
