using System.CommandLine;
using Repro.Blobs.Storage;
using Repro.Checks.Leakage;
using Repro.Cli.Rendering;
using Repro.Model.Findings;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro leak --train A --test B</c>: data-level leakage between two splits (duplicates, groups, time, proxies, shift).</summary>
public sealed class LeakCommand : CliCommand<LeakCommandSettings>
{
    public LeakCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var train = new Option<string>("--train") { HelpName = "FILE", Description = "The training split: a CSV/TSV file with a header row.", Required = true };
        var test = new Option<string>("--test") { HelpName = "FILE", Description = "The test split, with the same columns.", Required = true };
        var target = new Option<string?>("--target") { HelpName = "COL", Description = "The target column: left out of the duplicate comparison; enables the proxy check (L2)." };
        var ids = new Option<string[]>("--id") { HelpName = "COL", Description = "An identifier column, never compared (repeatable)." };
        var group = new Option<string?>("--group") { HelpName = "COL", Description = "A group column (patient, user, site): its values must not occur in both splits (L3.2)." };
        var time = new Option<string?>("--time") { HelpName = "COL", Description = "A time column (ISO-8601 dates/times or numbers): test rows must not be older than the newest train row (L3.1)." };
        var ignore = new Option<string[]>("--ignore") { HelpName = "COL", Description = "A column left out of every check (repeatable)." };
        var sep = new Option<string?>("--sep") { HelpName = "C", Description = "The field separator (one character, or 'tab'); sniffed among , tab ; | when not given." };
        var auc = new Option<double?>("--auc-threshold") { HelpName = "X", Description = "ROC AUC (either direction) from which a numeric feature is a target proxy (default 0.95)." };
        var nmi = new Option<double?>("--nmi-threshold") { HelpName = "X", Description = "Normalised mutual information from which a categorical feature is a target proxy (default 0.9)." };
        var shift = new Option<double?>("--shift-threshold") { HelpName = "X", Description = "KS statistic or total-variation distance from which a feature is flagged as shifted (default 0.1)." };
        var sampleSize = new Option<int?>("--sample-size") { HelpName = "N", Description = "Values kept per numeric column and split; beyond it a seeded reservoir sample (default 200000)." };
        var json = new Option<bool>("--json") { Description = "Print the findings and a summary as JSON." };
        var sarif = new Option<string?>("--sarif") { HelpName = "FILE", Description = "Also write the findings to FILE as SARIF 2.1.0." };
        var command = new Command("leak", "Check a train/test split for data leakage: duplicate rows, shared groups, test rows older than train, single-feature target proxies, and distribution shift. Reference: docs/checks.md")
        {
            train, test, target, ids, group, time, ignore, sep, auc, nmi, shift, sampleSize, json, sarif,
        };

        command.SetAction((parse, cancellationToken) => new LeakCommand(context).RunAsync(
            new LeakCommandSettings
            {
                Train = parse.GetValue(train)!,
                Test = parse.GetValue(test)!,
                Target = parse.GetValue(target),
                Ids = parse.GetValue(ids) ?? [],
                Group = parse.GetValue(group),
                Time = parse.GetValue(time),
                Ignore = parse.GetValue(ignore) ?? [],
                Separator = parse.GetValue(sep),
                AucThreshold = parse.GetValue(auc),
                NmiThreshold = parse.GetValue(nmi),
                ShiftThreshold = parse.GetValue(shift),
                SampleSize = parse.GetValue(sampleSize),
                Json = parse.GetValue(json),
                Sarif = parse.GetValue(sarif),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(LeakCommandSettings settings, CancellationToken cancellationToken)
    {
        var workspace = Context.FindWorkspace();
        var root = workspace?.Root ?? Context.WorkingDirectory;
        var thresholds = LeakSettings.Build(Path.Combine(root, LeakSettings.FileName), settings.AucThreshold, settings.NmiThreshold, settings.ShiftThreshold, settings.SampleSize);
        var options = new LeakOptions
        {
            TrainPath = settings.Train,
            TestPath = settings.Test,
            Target = settings.Target,
            Ids = settings.Ids,
            Group = settings.Group,
            Time = settings.Time,
            Ignore = settings.Ignore,
            Separator = settings.Separator is { } s ? CsvDialect.Parse(s) : null,
            Thresholds = thresholds,
            BaseDirectory = Context.WorkingDirectory,
        };

        var report = await LeakChecker.CheckAsync(options, cancellationToken);
        if (workspace is not null)
        {
            // Evidence for `repro check`: the leakage check ran, with this many findings.
            var checkedFiles = new[] { options.TrainPath, options.TestPath }.Select(p => workspace.Relative(Context.FullPath(p))).ToList();
            await Repro.Checks.Checklist.ExternalCheck.SaveAsync(workspace.ReproDirectory, "leak.json", report.Findings.Count(f => f.Severity >= Severity.Warning), checkedFiles, Context.Time.GetUtcNow(), cancellationToken);
        }

        if (settings.Sarif is { } sarifPath)
        {
            await AtomicFile.WriteAllTextAsync(Context.FullPath(sarifPath), SarifWriter.Render(ReproVersion.Short, LeakRules.All, report.Findings), cancellationToken);
        }

        if (settings.Json)
        {
            Context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(report, indented: true)));
            Context.Out.WriteLine();
        }
        else
        {
            LeakRenderer.Render(Context.Out, report);
        }

        return report.ExitCode;
    }
}
