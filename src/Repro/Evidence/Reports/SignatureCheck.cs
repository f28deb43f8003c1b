namespace Repro.Evidence.Reports;

/// <summary>What <c>repro report verify</c> found: whether the signature holds, with which key, and why not.</summary>
public sealed record SignatureCheck(bool Valid, string? KeyFingerprint, string Message);
