using System.Globalization;

namespace Repro.Execution;

/// <summary>
/// The executor a run asked for (<c>--executor</c>) and the flags shared by all executors,
/// frozen before anything runs. Each flag belongs to one executor; giving it to another is a
/// usage error rather than silently ignored, so a typo never runs a study on the wrong machine.
/// </summary>
public sealed record ExecutorOptions
{
    /// <summary>The executor names <c>--executor</c> takes, in the order help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["local", "sandbox", "container", "slurm"];

    public static ExecutorOptions Local { get; } = new();

    /// <summary>local, sandbox, container or slurm.</summary>
    public string Name { get; init; } = "local";

    /// <summary>Whether <c>--executor</c> was given: a re-run not told where runs where its run was recorded (the same image).</summary>
    public bool Chosen { get; init; }

    /// <summary>container, for a re-run: the image name the run recorded, when <see cref="Image"/> is its id.</summary>
    public string? RecordedImage { get; init; }

    /// <summary>container: the image to run in.</summary>
    public string? Image { get; init; }

    /// <summary>container: the network to give the command (default none).</summary>
    public string? Network { get; init; }

    /// <summary>slurm: the partition to submit to.</summary>
    public string? Partition { get; init; }

    /// <summary>slurm: the time limit per task, in Slurm's format (e.g. 00:30:00).</summary>
    public string? Time { get; init; }

    /// <summary>slurm: cores per task.</summary>
    public int? CpusPerTask { get; init; }

    /// <summary>slurm: how many times a failed task is submitted again.</summary>
    public int? Retries { get; init; }

    /// <summary>
    /// Where a re-run of <paramref name="run"/> goes: a run recorded in a container re-runs in
    /// the same image by id (and on its network) unless <c>--executor</c> or <c>--image</c> says otherwise.
    /// </summary>
    public ExecutorOptions ForReplayOf(Repro.Model.RunManifest run)
    {
        if (run.Environment.Executor is not { Name: "container" } recorded || !recorded.Details.TryGetValue("imageId", out var imageId)
            || Image is not null || (Chosen && Name != "container") || (!Chosen && Name != "local"))
        {
            return this;
        }

        return this with
        {
            Name = "container",
            Image = imageId,
            RecordedImage = recorded.Details.GetValueOrDefault("image") ?? imageId,
            Network = Network ?? recorded.Details.GetValueOrDefault("network"),
        };
    }

    /// <summary>What is wrong with this combination, one line each (empty when usable).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Names.Contains(Name, StringComparer.Ordinal))
        {
            problems.Add($"unknown executor '{Name}': choose {string.Join(", ", Names)}");
            return problems;
        }

        foreach (var (flag, given, owner) in Flags())
        {
            if (given && owner != Name)
            {
                problems.Add($"{flag} needs --executor {owner}");
            }
        }

        if (CpusPerTask is < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--cpus-per-task must be 1 or more, not {CpusPerTask}"));
        }

        if (Retries is < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"--retries must be 0 or more, not {Retries}"));
        }

        return problems;
    }

    private IEnumerable<(string Flag, bool Given, string Owner)> Flags()
    {
        yield return ("--image", Image is not null, "container");
        yield return ("--network", Network is not null, "container");
        yield return ("--partition", Partition is not null, "slurm");
        yield return ("--time", Time is not null, "slurm");
        yield return ("--cpus-per-task", CpusPerTask is not null, "slurm");
        yield return ("--retries", Retries is not null, "slurm");
    }
}
