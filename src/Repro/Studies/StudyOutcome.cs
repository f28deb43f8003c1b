using Repro.Domain;

namespace Repro.Studies;

/// <summary>The recorded study (kind "study") and its digest.</summary>
public sealed record StudyOutcome(RunManifest Study, string Digest);
