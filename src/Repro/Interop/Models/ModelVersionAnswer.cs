namespace Repro.Interop.Models;

/// <summary>
/// What <c>repro model show --json</c> answers: the version as registered, the verifications made
/// since, and the digest of its run now (null when the run is no longer stored).
/// </summary>
public sealed record ModelVersionAnswer(
    ModelVersion Version,
    string Digest,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<ModelVerification> VerifiedSinceRegistration,
    string? RunDigestNow);
