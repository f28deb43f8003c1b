using System.Text.Json;
using System.Text.Json.Serialization;
using Repro.Blobs.Data;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Checks.Audit;
using Repro.Checks.Checklist;
using Repro.Checks.Leakage;
using Repro.Checks.Lint;
using Repro.Evidence.Bundles;
using Repro.Evidence.Reports;
using Repro.Interop.Dvc;
using Repro.Interop.Models;
using Repro.Interop.Tracking;
using Repro.Judging.Diffing;
using Repro.Judging.Studies;
using Repro.Judging.Studies.Slurm;
using Repro.Model;
using Repro.Model.Findings;
using Repro.Model.Verdicts;
using Repro.Recording.Pipelines;

namespace Repro.Catalog;

/// <summary>
/// Compile-time JSON metadata for every document repro writes or reads with the serializer:
/// no reflection at run time, so the same code runs as a native (ahead-of-time compiled)
/// program, and start-up does not pay for building the manifest's type graph.
/// </summary>
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(EnvironmentSnapshot))]
[JsonSerializable(typeof(List<DirectoryEntry>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(List<RunSummary>))]
[JsonSerializable(typeof(IReadOnlyList<RunSummary>))]
[JsonSerializable(typeof(VerificationReport))]
[JsonSerializable(typeof(StudyReport))]
[JsonSerializable(typeof(StudyComparison))]
[JsonSerializable(typeof(ChecklistResult))]
[JsonSerializable(typeof(LeakReport))]
[JsonSerializable(typeof(LintReport))]
[JsonSerializable(typeof(RunDifference))]
[JsonSerializable(typeof(IReadOnlyList<AuditEntry>))]
[JsonSerializable(typeof(AuditResult))]
[JsonSerializable(typeof(ModelVersion))]
[JsonSerializable(typeof(RegisteredModelVersion))]
[JsonSerializable(typeof(ModelVersionAnswer))]
[JsonSerializable(typeof(IReadOnlyList<ModelSummary>))]
[JsonSerializable(typeof(ReportData))]
[JsonSerializable(typeof(SlurmStudySpec))]
[JsonSerializable(typeof(BundleIndex))]
[JsonSerializable(typeof(TrackingServerFile))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ReproJsonContext : JsonSerializerContext
{
    /// <summary>
    /// One string converter per enum the documents hold, each writing the snake_case name
    /// (<c>ok</c>, <c>failed</c>, …). A test walks every document type and fails on an enum
    /// missing here, which would otherwise be written as a number.
    /// </summary>
    public static IEnumerable<JsonConverter> EnumConverters()
    {
        yield return Snake<RunStatus>();
        yield return Snake<ArtifactKind>();
        yield return Snake<LinkKind>();
        yield return Snake<CausePillar>();
        yield return Snake<CheckStatus>();
        yield return Snake<ReproducibilityLevel>();
        yield return Snake<Severity>();
        yield return Snake<LeakKind>();
        yield return Snake<DataPart>();
        yield return Snake<CellKind>();
        yield return Snake<DataState>();
        yield return Snake<DvcHashName>();
        yield return Snake<DvcEntryState>();
        yield return Snake<ParamValueKind>();
        yield return Snake<PipelineEventKind>();
        yield return Snake<PipelineKind>();
        yield return Snake<ReportFormat>();
    }

    private static JsonStringEnumConverter<T> Snake<T>()
        where T : struct, Enum => new(JsonNamingPolicy.SnakeCaseLower);
}
