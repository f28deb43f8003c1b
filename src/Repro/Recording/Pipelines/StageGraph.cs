namespace Repro.Recording.Pipelines;

/// <summary>
/// Orders stages so that a stage whose dep is (inside) another stage's out runs after it. A cycle
/// is an error that names it; two stages declaring the same output are an error too.
/// </summary>
public static class StageGraph
{
    /// <summary>Stages in dependency order (file order among independent ones), limited to <paramref name="targets"/> and what they depend on.</summary>
    public static IReadOnlyList<PipelineStage> Order(PipelineDefinition definition, IReadOnlyCollection<string> targets)
    {
        var stages = definition.Stages;

        // `dvc repro dvc.yaml:train` spells a stage with its file; accept that too.
        targets = targets.Select(t => t.StartsWith(definition.DefinitionName + ":", StringComparison.Ordinal) ? t[(definition.DefinitionName.Length + 1)..] : t).ToList();
        foreach (var target in targets)
        {
            if (!stages.Any(s => string.Equals(s.Name, target, StringComparison.Ordinal)))
            {
                throw ReproException.Usage($"{definition.DefinitionName}: no stage named '{target}' (stages: {string.Join(", ", stages.Select(s => s.Name))})");
            }
        }

        var outs = stages.ToDictionary(s => s.Name, s => s.Outs.Select(o => StagePaths.Resolve(definition, s, o, "out")).ToList(), StringComparer.Ordinal);
        var inputs = stages.ToDictionary(
            s => s.Name,
            s => s.Deps.Select(d => StagePaths.Resolve(definition, s, d, "dep")).Concat(s.Params.Select(p => StagePaths.Resolve(definition, s, p.File, "params file"))).ToList(),
            StringComparer.Ordinal);

        for (var i = 0; i < stages.Count; i++)
        {
            for (var j = i + 1; j < stages.Count; j++)
            {
                var clash = outs[stages[i].Name].FirstOrDefault(a => outs[stages[j].Name].Any(b => StagePaths.Overlap(a, b)));
                if (clash is not null)
                {
                    throw ReproException.Usage($"{definition.DefinitionName}: stages '{stages[i].Name}' and '{stages[j].Name}' both write '{clash}'");
                }
            }
        }

        // upstream[s] = the stages whose outputs s reads, in file order.
        var upstream = stages.ToDictionary(
            s => s.Name,
            s => stages.Where(p => inputs[s.Name].Any(i => outs[p.Name].Any(o => StagePaths.Overlap(i, o)))).Select(p => p.Name).ToList(),
            StringComparer.Ordinal);

        var byName = stages.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var path = new List<string>();
        var order = new List<PipelineStage>();

        void Visit(string name)
        {
            if (state.TryGetValue(name, out var s))
            {
                if (s == 1)
                {
                    var cycle = path.Skip(path.IndexOf(name)).Append(name);
                    throw ReproException.Usage($"{definition.DefinitionName}: the stages form a cycle: {string.Join(" -> ", cycle)}");
                }

                return;
            }

            state[name] = 1;
            path.Add(name);
            foreach (var dependency in upstream[name])
            {
                Visit(dependency);
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            order.Add(byName[name]);
        }

        foreach (var stage in stages)
        {
            Visit(stage.Name);
        }

        if (targets.Count == 0)
        {
            return order;
        }

        var wanted = new HashSet<string>(StringComparer.Ordinal);
        void Want(string name)
        {
            if (wanted.Add(name))
            {
                foreach (var dependency in upstream[name])
                {
                    Want(dependency);
                }
            }
        }

        foreach (var target in targets)
        {
            Want(target);
        }

        return order.Where(s => wanted.Contains(s.Name)).ToList();
    }

    /// <summary>The stages that read an output of <paramref name="stage"/>.</summary>
    public static bool ReadsOutputOf(PipelineDefinition definition, PipelineStage reader, PipelineStage writer)
    {
        var outs = writer.Outs.Select(o => StagePaths.Resolve(definition, writer, o, "out")).ToList();
        return reader.Deps.Select(d => StagePaths.Resolve(definition, reader, d, "dep"))
            .Concat(reader.Params.Select(p => StagePaths.Resolve(definition, reader, p.File, "params file")))
            .Any(i => outs.Any(o => StagePaths.Overlap(i, o)));
    }
}
