using System.CommandLine;
using System.Text.Json;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Model;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro runs</c>: recorded runs, newest first, one line each.</summary>
public sealed class RunsCommand : CliCommand<RunsSettings>
{
    public RunsCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var name = new Option<string?>("--name") { Description = "Only runs with this name." };
        var status = new Option<string?>("--status") { Description = "Only runs with this status: ok, failed, or running (live MLflow runs)." };
        status.AcceptOnlyFromAmong("ok", "failed", "running");
        var json = new Option<bool>("--json") { Description = "Print a JSON array." };
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many runs (0 = all).", DefaultValueFactory = _ => 50 };
        var command = new Command("runs", "List recorded runs, newest first. Reference: docs/run.md") { name, status, json, limit };
        command.SetAction((parse, cancellationToken) => new RunsCommand(context).RunAsync(
            new RunsSettings { Name = parse.GetValue(name), Status = parse.GetValue(status), Json = parse.GetValue(json), Limit = parse.GetValue(limit) },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(RunsSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var query = new RunQuery
        {
            Name = settings.Name,
            Status = settings.Status switch { "ok" => RunStatus.Ok, "failed" => RunStatus.Failed, "running" => RunStatus.Running, _ => null },
            Limit = settings.Limit,
        };
        var runs = await session.Store.ListAsync(query, cancellationToken);
        if (settings.Json)
        {
            Context.Out.WriteLine(JsonSerializer.Serialize(runs, CanonicalJson.TypeInfo<IReadOnlyList<RunSummary>>(indented: true)));
            return 0;
        }

        if (runs.Count == 0)
        {
            Context.Out.WriteLine("no runs recorded yet: try `repro run -- COMMAND`");
            return 0;
        }

        var table = new TableWriter("ID", "NAME", "STATUS", "EXIT", "CREATED", "WALL", "SEED", "METRICS");
        foreach (var (run, child) in Ordered(runs))
        {
            table.Add(
                (child ? "  " : string.Empty) + run.Id[..8],
                Label(run, child),
                run.Status switch { RunStatus.Ok => "ok", RunStatus.Running => "running", _ => "failed" },
                run.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Format.Time(run.CreatedAt),
                Format.Seconds(run.WallSeconds),
                run.Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                string.Join(" ", run.Metrics.Take(4).Select(m => $"{m.Key}={Format.Number(m.Value)}")) + (run.Metrics.Count > 4 ? " …" : string.Empty));
        }

        table.Write(Context.Out);
        return 0;
    }

    /// <summary>Newest first, with the seeds of a listed study right under it (indented).</summary>
    private static IEnumerable<(RunSummary Run, bool Child)> Ordered(IReadOnlyList<RunSummary> runs)
    {
        var studies = runs.Where(r => r.Kind == "study").Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            if (run.ParentId is { } parent && studies.Contains(parent))
            {
                continue;
            }

            yield return (run, false);
            if (run.Kind == "study")
            {
                foreach (var child in runs.Where(r => r.ParentId == run.Id).OrderBy(r => r.Seed))
                {
                    yield return (child, true);
                }
            }
        }
    }

    private static string Label(RunSummary run, bool child) => run switch
    {
        { Kind: "verification", ParentId: { } parent } => $"(verifies {parent[..8]})",
        { Kind: "study" } => $"{run.Name ?? "-"} [study]",
        { ParentId: { } parent } => child ? "↳ seed" : $"(seed of study {parent[..8]})",
        _ => run.Name ?? "-",
    };
}
