using System.Globalization;
using Repro.Blobs.Storage.Search;
using Repro.Model.Serialization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Interop.Tracking;

/// <summary>
/// Reads an MLflow file store (an mlruns/ folder as MLflow writes it: &lt;experiment&gt;/meta.yaml,
/// &lt;experiment&gt;/&lt;run&gt;/meta.yaml, metrics/, params/, tags/, .trash/ for deleted
/// experiments) into the tracking tables as repro runs. Importing twice adds nothing; a run that
/// cannot be read is reported and skipped while the others are imported.
/// </summary>
public sealed class MlrunsImporter(ITrackingStore store)
{
    private const string Trash = ".trash";

    private static readonly HashSet<string> NotRuns = new(StringComparer.Ordinal) { "tags", "datasets", "traces", "models", "outputs" };

    public async Task<MlrunsImportResult> ImportAsync(string path, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(path);
        if (!Directory.Exists(root))
        {
            throw ReproException.NotFound($"{path} is not an MLflow mlruns folder: no such directory");
        }

        var experimentDirs = ExperimentDirs(root).ToList();
        if (experimentDirs.Count == 0)
        {
            throw ReproException.Usage($"{path} is not an MLflow mlruns folder: it has no <experiment id>/meta.yaml (point at the folder MLflow writes, usually ./mlruns)");
        }

        var imported = new List<string>();
        var already = new List<string>();
        var created = new List<string>();
        var skipped = new List<(string, string)>();
        long points = 0;
        foreach (var (dir, trashed) in experimentDirs)
        {
            var relative = Path.GetRelativePath(root, dir);
            MlflowExperiment experiment;
            try
            {
                experiment = ReadExperiment(dir, trashed);
            }
            catch (FormatException ex)
            {
                skipped.Add((relative, ex.Message));
                continue;
            }

            var (localId, isNew) = await store.ImportExperimentAsync(experiment, cancellationToken);
            if (isNew)
            {
                created.Add(experiment.Name);
            }

            foreach (var runDir in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(runDir);
                if (NotRuns.Contains(name) || !File.Exists(Path.Combine(runDir, "meta.yaml")))
                {
                    continue;
                }

                var runRelative = Path.GetRelativePath(root, runDir);
                ImportedRun run;
                try
                {
                    run = ReadRun(runDir, localId);
                    MlflowValidation.RunId(run.Run.RunId!);
                }
                catch (Exception ex) when (ex is FormatException or TrackingException or IOException or UnauthorizedAccessException)
                {
                    skipped.Add((runRelative, ex.Message));
                    continue;
                }

                if (await store.HasRunAsync(run.Run.RunId!, cancellationToken))
                {
                    already.Add(run.Run.RunId!);
                    continue;
                }

                try
                {
                    await store.ImportRunAsync(run, cancellationToken);
                    imported.Add(run.Run.RunId!);
                    points += run.Metrics.Count;
                }
                catch (TrackingException ex)
                {
                    skipped.Add((runRelative, ex.Message));
                }
            }
        }

        return new MlrunsImportResult { Imported = imported, AlreadyHere = already, ExperimentsCreated = created, Skipped = skipped, MetricPoints = points };
    }

    private static IEnumerable<(string Dir, bool Trashed)> ExperimentDirs(string root)
    {
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(dir) != Trash && File.Exists(Path.Combine(dir, "meta.yaml")))
            {
                yield return (dir, false);
            }
        }

        var trash = Path.Combine(root, Trash);
        if (Directory.Exists(trash))
        {
            foreach (var dir in Directory.EnumerateDirectories(trash).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(dir, "meta.yaml")))
                {
                    yield return (dir, true);
                }
            }
        }
    }

    private static MlflowExperiment ReadExperiment(string dir, bool trashed)
    {
        var meta = ReadMeta(Path.Combine(dir, "meta.yaml"));
        var id = Scalar(meta, "experiment_id") ?? Path.GetFileName(dir);
        var name = Scalar(meta, "name") is { Length: > 0 } n ? n : throw new FormatException("meta.yaml has no experiment name");
        return new MlflowExperiment
        {
            ExperimentId = id,
            Name = name,
            ArtifactLocation = Scalar(meta, "artifact_location") ?? string.Empty,
            LifecycleStage = trashed ? "deleted" : Scalar(meta, "lifecycle_stage") ?? "active",
            CreationTime = Long(meta, "creation_time") ?? 0,
            LastUpdateTime = Long(meta, "last_update_time") ?? Long(meta, "creation_time") ?? 0,
            Tags = ReadKeyFiles(Path.Combine(dir, "tags")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        };
    }

    private static ImportedRun ReadRun(string dir, string experimentId)
    {
        var meta = ReadMeta(Path.Combine(dir, "meta.yaml"));
        var id = Scalar(meta, "run_id") is { Length: > 0 } runId ? runId : Scalar(meta, "run_uuid") is { Length: > 0 } uuid ? uuid : throw new FormatException("meta.yaml has no run_id");
        if (id != Path.GetFileName(dir))
        {
            throw new FormatException($"meta.yaml names run {id}, but its folder is {Path.GetFileName(dir)}");
        }

        var statusText = Scalar(meta, "status") ?? "1";
        var status = int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? MlflowStatus.FromNumber(number) : MlflowStatus.All.Contains(statusText) ? statusText : null;
        var tags = ReadKeyFiles(Path.Combine(dir, "tags")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var runName = Scalar(meta, "run_name") is { Length: > 0 } rn ? rn : tags.GetValueOrDefault(TrackingDefaults.RunNameTag);
        return new ImportedRun
        {
            Run = new NewRun
            {
                RunId = id,
                ExperimentId = experimentId,
                RunName = runName,
                UserId = Scalar(meta, "user_id"),
                StartTime = Long(meta, "start_time"),
                Tags = tags,
                Status = status ?? throw new FormatException($"meta.yaml has an unknown status '{statusText}'"),
            },
            EndTime = Long(meta, "end_time"),
            LifecycleStage = Scalar(meta, "lifecycle_stage") ?? "active",
            Params = ReadKeyFiles(Path.Combine(dir, "params")).ToList(),
            Metrics = ReadMetrics(Path.Combine(dir, "metrics")),
        };
    }

    private static List<MlflowMetric> ReadMetrics(string dir)
    {
        var metrics = new List<MlflowMetric>();
        if (!Directory.Exists(dir))
        {
            return metrics;
        }

        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var key = Path.GetRelativePath(dir, file).Replace(Path.DirectorySeparatorChar, '/');
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length is < 2 or > 3
                    || !long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var timestamp)
                    || !TryPythonFloat(parts[1], out var value))
                {
                    throw new FormatException($"metrics/{key} line {lineNumber} is not 'timestamp value step': '{line}'");
                }

                long step = 0;
                if (parts.Length == 3 && !long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out step))
                {
                    throw new FormatException($"metrics/{key} line {lineNumber} has a step that is not an integer: '{line}'");
                }

                metrics.Add(new MlflowMetric(key, value, timestamp, step));
            }
        }

        return metrics;
    }

    private static bool TryPythonFloat(string text, out double value)
    {
        switch (text.ToLowerInvariant())
        {
            case "nan":
                value = double.NaN;
                return true;
            case "inf" or "infinity":
                value = double.PositiveInfinity;
                return true;
            case "-inf" or "-infinity":
                value = double.NegativeInfinity;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    /// <summary>Files under <paramref name="dir"/> as key (path with '/') and content: params and tags.</summary>
    private static IEnumerable<KeyValuePair<string, string>> ReadKeyFiles(string dir)
    {
        if (!Directory.Exists(dir))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            yield return new(Path.GetRelativePath(dir, file).Replace(Path.DirectorySeparatorChar, '/'), BoundedFile.ReadAllText(file, TextLimits.MaxFileBytes));
        }
    }

    private static YamlMappingNode ReadMeta(string path)
    {
        try
        {
            var yaml = BoundedYaml.Load(BoundedFile.ReadAllText(path, YamlLimits.MaxFileBytes));

            return yaml.Documents.Count > 0 && yaml.Documents[0].RootNode is YamlMappingNode mapping
                ? mapping
                : throw new FormatException("meta.yaml is not a YAML mapping");
        }
        catch (YamlException ex)
        {
            throw new FormatException($"meta.yaml is not valid YAML: {ex.Message}");
        }
    }

    private static string? Scalar(YamlMappingNode meta, string key) =>
        meta.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar && scalar.Value is { } value && value != "null" && value != "~" ? value : null;

    private static long? Long(YamlMappingNode meta, string key) =>
        Scalar(meta, key) is { } text ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"meta.yaml: {key} '{text}' is not an integer") : null;
}
