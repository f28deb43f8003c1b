using System.CommandLine;
using Repro.Blobs.Storage;
using Repro.Checks.Leakage;
using Repro.Cli.Rendering;
using Repro.Model.Findings;
using Repro.Model.Serialization;
using Repro.Model.Workspaces;

namespace Repro.Cli.Commands;

/// <summary><c>repro leak --train A --test B</c>: data-level leakage between two splits (duplicates, groups, time, proxies, shift).</summary>
public static class LeakCommand
{
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

        command.SetAction(async (parse, cancellationToken) =>
        {
            var workspace = Workspace.Find(Directory.GetCurrentDirectory());
            var root = workspace?.Root ?? Directory.GetCurrentDirectory();
            var thresholds = LeakSettings.Build(Path.Combine(root, LeakSettings.FileName), parse.GetValue(auc), parse.GetValue(nmi), parse.GetValue(shift), parse.GetValue(sampleSize));
            var options = new LeakOptions
            {
                TrainPath = parse.GetValue(train)!,
                TestPath = parse.GetValue(test)!,
                Target = parse.GetValue(target),
                Ids = parse.GetValue(ids) ?? [],
                Group = parse.GetValue(group),
                Time = parse.GetValue(time),
                Ignore = parse.GetValue(ignore) ?? [],
                Separator = parse.GetValue(sep) is { } s ? CsvDialect.Parse(s) : null,
                Thresholds = thresholds,
            };

            var report = await LeakChecker.CheckAsync(options, cancellationToken);
            if (workspace is not null)
            {
                // Evidence for `repro check`: the leakage check ran, with this many findings.
                var checkedFiles = new[] { options.TrainPath, options.TestPath }.Select(p => workspace.Relative(Path.GetFullPath(p))).ToList();
                await Repro.Checks.Checklist.ExternalCheck.SaveAsync(workspace.ReproDirectory, "leak.json", report.Findings.Count(f => f.Severity >= Severity.Warning), checkedFiles, context.Time.GetUtcNow(), cancellationToken);
            }

            if (parse.GetValue(sarif) is { } sarifPath)
            {
                await AtomicFile.WriteAllTextAsync(sarifPath, SarifWriter.Render(ReproVersion.Short, LeakRules.All, report.Findings), cancellationToken);
            }

            if (parse.GetValue(json))
            {
                context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(report, indented: true)));
                context.Out.WriteLine();
            }
            else
            {
                LeakRenderer.Render(context.Out, report);
            }

            return report.ExitCode;
        });
        return command;
    }
}
