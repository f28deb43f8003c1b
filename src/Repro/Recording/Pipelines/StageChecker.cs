namespace Repro.Recording.Pipelines;

/// <summary>
/// Compares a stage with its lock entry, the way <c>dvc status</c> does: the command (and seed),
/// each dep's hash, each param's value and each out's hash. A frozen stage only has its command
/// and outputs checked; <c>always_changed</c> is always a change.
/// </summary>
public sealed class StageChecker
{
    private readonly IPipelineFormat _format;

    public StageChecker(IPipelineFormat format)
    {
        _format = format;
    }

    public async Task<StageStatus> CheckAsync(PipelineStage stage, LockedStage? locked, CancellationToken cancellationToken)
    {
        var definition = _format.Definition;
        var changes = new List<string>();
        if (locked is null)
        {
            changes.Add("never run");
            return new StageStatus { Stage = stage.Name, Changes = changes, Frozen = stage.Frozen };
        }

        if (!stage.Commands.SequenceEqual(locked.Commands, StringComparer.Ordinal) || stage.CommandIsList != locked.CommandIsList)
        {
            changes.Add("cmd changed");
        }

        if (stage.Seed != locked.Seed)
        {
            changes.Add($"seed changed ({Show(locked.Seed)} → {Show(stage.Seed)})");
        }

        if (!stage.Frozen)
        {
            foreach (var dep in stage.Deps)
            {
                changes.AddRange(await CompareAsync(stage, "dep", dep, locked.Deps, cancellationToken));
            }

            foreach (var dependency in stage.Params)
            {
                changes.AddRange(CompareParams(definition, stage, dependency, locked));
            }
        }

        foreach (var out_ in stage.Outs)
        {
            changes.AddRange(await CompareAsync(stage, "out", out_, locked.Outs, cancellationToken));
        }

        if (stage.AlwaysChanged && !stage.Frozen)
        {
            changes.Add("always changed");
        }
        else if (!stage.Frozen && stage.Deps.Count == 0 && stage.Params.Count == 0 && stage.Outs.Count == 0)
        {
            // DVC's "callback" stage: with nothing to compare, it always runs.
            changes.Add("always changed (no deps, params or outs)");
        }

        return new StageStatus { Stage = stage.Name, Changes = changes, Frozen = stage.Frozen };
    }

    /// <summary>The lock entry for a path as it is now: the old entry's hash name kept when the content still matches it.</summary>
    public async Task<LockedArtifact?> LockEntryAsync(PipelineStage stage, string path, LockedArtifact? previous, CancellationToken cancellationToken)
    {
        var full = StagePaths.Full(_format.Definition, StagePaths.Resolve(_format.Definition, stage, path, "path"));
        var hasher = _format.Hasher;
        if (previous is not null && previous.HashName != hasher.DefaultHashName)
        {
            var same = await hasher.HashAsync(full, path, previous.HashName, cancellationToken);
            if (same is not null && string.Equals(same.Hash, previous.Hash, StringComparison.Ordinal))
            {
                return same;
            }
        }

        return await hasher.HashAsync(full, path, hasher.DefaultHashName, cancellationToken);
    }

    /// <summary>The params values a lock entry records now; a missing key or file is an error (the stage cannot run without it).</summary>
    public static List<LockedParams> CurrentParams(PipelineDefinition definition, PipelineStage stage)
    {
        var result = new List<LockedParams>();
        foreach (var dependency in stage.Params)
        {
            var relative = StagePaths.Resolve(definition, stage, dependency.File, "params file");
            var full = StagePaths.Full(definition, relative);
            if (!File.Exists(full))
            {
                throw ReproException.NotFound($"stage '{stage.Name}': params file {relative} not found");
            }

            var values = ParamsFileReader.Select(ParamsFileReader.Read(full, relative), dependency);
            var missing = dependency.Keys.Where(k => !values.Any(v => string.Equals(v.Key, k, StringComparison.Ordinal))).ToList();
            if (missing.Count > 0)
            {
                throw ReproException.NotFound($"stage '{stage.Name}': {string.Join(", ", missing)} not found in {relative}");
            }

            result.Add(new LockedParams { File = dependency.File, Values = values });
        }

        return result;
    }

    private async Task<List<string>> CompareAsync(PipelineStage stage, string role, string path, IReadOnlyList<LockedArtifact> lockedEntries, CancellationToken cancellationToken)
    {
        var definition = _format.Definition;
        var relative = StagePaths.Resolve(definition, stage, path, role);
        var previous = lockedEntries.FirstOrDefault(e => string.Equals(e.Path, path, StringComparison.Ordinal));
        var current = await _format.Hasher.HashAsync(StagePaths.Full(definition, relative), path, previous?.HashName ?? _format.Hasher.DefaultHashName, cancellationToken);
        if (current is null)
        {
            return [$"{role} {relative} deleted"];
        }

        if (previous is null)
        {
            return [$"{role} {relative} new"];
        }

        return string.Equals(current.Hash, previous.Hash, StringComparison.Ordinal) ? [] : [$"{role} {relative} modified"];
    }

    private static IEnumerable<string> CompareParams(PipelineDefinition definition, PipelineStage stage, ParamsDependency dependency, LockedStage locked)
    {
        var relative = StagePaths.Resolve(definition, stage, dependency.File, "params file");
        var full = StagePaths.Full(definition, relative);
        var before = locked.Params.FirstOrDefault(p => string.Equals(p.File, dependency.File, StringComparison.Ordinal))?.Values ?? [];
        if (!File.Exists(full))
        {
            yield return $"params file {relative} deleted";
            yield break;
        }

        var now = ParamsFileReader.Select(ParamsFileReader.Read(full, relative), dependency);
        var keys = dependency.Keys.Count > 0 ? dependency.Keys : now.Select(v => v.Key).Concat(before.Select(v => v.Key)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in keys)
        {
            var old = before.FirstOrDefault(v => string.Equals(v.Key, key, StringComparison.Ordinal)).Value;
            var current = now.FirstOrDefault(v => string.Equals(v.Key, key, StringComparison.Ordinal)).Value;
            var name = dependency.File == StageFileParser.DefaultParamsFile ? key : $"{dependency.File}:{key}";
            if (current is null)
            {
                yield return $"param {name} deleted";
            }
            else if (old is null)
            {
                yield return $"param {name} new";
            }
            else if (!old.Equals(current))
            {
                yield return $"param {name} modified ({old} → {current})";
            }
        }
    }

    private static string Show(long? seed) => seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
