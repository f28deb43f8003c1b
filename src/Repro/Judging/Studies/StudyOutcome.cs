using Repro.Model;

namespace Repro.Judging.Studies;

/// <summary>The recorded study (kind "study") and its digest.</summary>
public sealed record StudyOutcome(RunManifest Study, string Digest);
