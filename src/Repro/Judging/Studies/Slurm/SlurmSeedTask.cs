using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Repro.Judging.Studies.Slurm;

/// <summary>
/// One attempt at one seed: task <see cref="TaskIndex"/> of the study's batch <see cref="Batch"/>
/// (batch 0 is the first array, each retry a new one), the run it must record, and how it ended
/// once it has.
/// </summary>
public sealed record SlurmSeedTask
{
    public required string StudyId { get; init; }

    /// <summary>The attempt: 0 for the first array, 1 for the first resubmission, ...</summary>
    public required int Batch { get; init; }

    public required int TaskIndex { get; init; }

    public required long Seed { get; init; }

    /// <summary>The child run's id, derived from study, seed and attempt (see <see cref="RunIdFor"/>).</summary>
    public required string RunId { get; init; }

    /// <summary>The Slurm state it ended in; null while it has not.</summary>
    public string? State { get; init; }

    public int? ExitCode { get; init; }

    public int? Signal { get; init; }

    public string? Node { get; init; }

    /// <summary>Whether the run was found in the store when the task ended.</summary>
    public bool Recorded { get; init; }

    /// <summary>
    /// The id a seed's attempt records its run under. Being a function of study, seed and
    /// attempt, a task Slurm runs twice (requeued) or a write retried after an unclear failure
    /// hits the same primary key: a seed can never be stored twice for one attempt.
    /// </summary>
    public static string RunIdFor(string studyId, long seed, int batch)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"repro-slurm-seed/{studyId}/{seed}/{batch}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
