
namespace Repro.Model.Verdicts;

/// <summary>Whether the re-runs ran and exited as the original did.</summary>
public sealed record ExecutionJudgement(int OriginalExitCode, IReadOnlyList<int> ReproducedExitCodes, Verdict Verdict, string Detail);
