namespace Repro.Evidence.Reports;

/// <summary>A stored record a report draws on, with the SHA-256 of its stored bytes, so a reader can check it against the store.</summary>
public sealed record CoveredRecord(string Kind, string Id, string Sha256);
