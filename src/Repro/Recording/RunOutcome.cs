using Repro.Model;

namespace Repro.Recording;

/// <summary>A recorded run and the exit code repro should pass on (the command's own).</summary>
public sealed record RunOutcome(RunManifest Manifest, string Digest, int ExitCode);
