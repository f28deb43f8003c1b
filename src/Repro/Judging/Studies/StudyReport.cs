using Repro.Model;
using Repro.Platform.Statistics;

namespace Repro.Judging.Studies;

/// <summary>The JSON form of a study for <c>repro seeds --json</c> and <c>repro study --json</c>.</summary>
public sealed record StudyReport
{
    public int SchemaVersion { get; init; } = 1;

    public required string Study { get; init; }

    public string? Name { get; init; }

    public required string Digest { get; init; }

    public required RunStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string? SourceRun { get; init; }

    public required string Mode { get; init; }

    public required int Parallelism { get; init; }

    public required IReadOnlyList<long> Seeds { get; init; }

    public required IReadOnlyList<StudyChild> Children { get; init; }

    public required IReadOnlyDictionary<string, SampleSummary> Statistics { get; init; }

    public required IReadOnlyList<StudyClaim> Claims { get; init; }

    public required string Bootstrap { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public static StudyReport For(RunManifest run, string digest)
    {
        var study = run.Study ?? throw new ArgumentException("not a study", nameof(run));
        return new StudyReport
        {
            Study = run.Id,
            Name = run.Name,
            Digest = digest,
            Status = run.Status,
            CreatedAt = run.CreatedAt,
            SourceRun = study.SourceRun,
            Mode = study.Mode,
            Parallelism = study.Parallelism,
            Seeds = study.Seeds,
            Children = study.Children,
            Statistics = study.Statistics,
            Claims = study.Claims,
            Bootstrap = study.Bootstrap,
            Warnings = run.Warnings,
        };
    }
}
