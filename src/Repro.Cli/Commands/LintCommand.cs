using System.CommandLine;
using System.Globalization;
using Repro.Blobs.Storage;
using Repro.Checks.Lint;
using Repro.Cli.Rendering;
using Repro.Model.Findings;
using Repro.Model.Serialization;
using Repro.Model.Workspaces;

namespace Repro.Cli.Commands;

/// <summary><c>repro lint PATH...</c>: static determinism and leakage checks of Python scripts and notebooks.</summary>
public sealed class LintCommand : CliCommand<LintCommandSettings>
{
    public LintCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Description = "Python scripts (.py), notebooks (.ipynb) or folders to check.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON." };
        var sarif = new Option<string?>("--sarif") { Description = "Also write the findings as SARIF 2.1.0 to FILE ('-' for stdout instead of the text lines)." };
        var select = new Option<string[]>("--select") { Description = "Only these rules: ids or prefixes, comma-separated or repeated (e.g. DET,LEAK001).", AllowMultipleArgumentsPerToken = false };
        var ignore = new Option<string[]>("--ignore") { Description = "Never report these rules: ids or prefixes, comma-separated or repeated." };
        var python = new Option<string?>("--python") { Description = "Interpreter whose ast module parses the code (default: python3 on PATH)." };
        var command = new Command("lint", "Check Python training code for non-determinism and data leakage, without running it. Reference: docs/checks.md")
        {
            paths, json, sarif, select, ignore, python,
        };

        command.SetAction((parse, cancellationToken) => new LintCommand(context).RunAsync(
            new LintCommandSettings
            {
                Paths = parse.GetValue(paths) ?? [],
                Json = parse.GetValue(json),
                Sarif = parse.GetValue(sarif),
                Select = parse.GetValue(select) ?? [],
                Ignore = parse.GetValue(ignore) ?? [],
                Python = parse.GetValue(python),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(LintCommandSettings settings, CancellationToken cancellationToken)
    {
        var here = Context.WorkingDirectory;
        var workspace = Workspace.Find(here);
        var configDirectory = workspace?.Root ?? here;
        var options = LintSettings.Build(configDirectory, settings.Select, settings.Ignore, settings.Python);
        var report = await Linter.LintAsync(settings.Paths, here, options, Context.Variable("PATH"), cancellationToken);

        if (workspace is not null)
        {
            // Evidence for `repro check`: the code was linted, with this many findings.
            await Repro.Checks.Checklist.ExternalCheck.SaveAsync(workspace.ReproDirectory, "lint.json", report.Findings.Count(f => f.Severity >= Severity.Warning), report.Files.Select(f => workspace.Relative(Path.GetFullPath(f, here))).ToList(), Context.Time.GetUtcNow(), cancellationToken);
        }

        var sarifPath = settings.Sarif;
        if (sarifPath is not null)
        {
            var text = SarifWriter.Render(ReproVersion.Short, Linter.Rules(options), report.Findings);
            if (sarifPath == "-")
            {
                Context.Out.Write(text);
            }
            else
            {
                await AtomicFile.WriteAllTextAsync(Context.FullPath(sarifPath), text, cancellationToken);
            }
        }

        if (settings.Json)
        {
            Context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(report, indented: true)));
        }
        else if (sarifPath != "-")
        {
            foreach (var finding in report.Findings)
            {
                Context.Out.WriteLine(FindingText.Gcc(finding));
            }
        }

        Terminal.Note(Context, Summary(report));
        return report.HasProblems ? (int)ExitCode.Differs : (int)ExitCode.Ok;
    }

    private static string Summary(LintReport report)
    {
        var files = report.Files.Count == 1 ? "1 file" : string.Create(CultureInfo.InvariantCulture, $"{report.Files.Count} files");
        if (report.Findings.Count == 0)
        {
            return $"lint: no findings in {files}";
        }

        var counts = report.Findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {SarifWriter.Level(g.Key)}{(g.Count() == 1 ? string.Empty : "s")}"));
        return string.Create(CultureInfo.InvariantCulture, $"lint: {report.Findings.Count} finding{(report.Findings.Count == 1 ? string.Empty : "s")} ({string.Join(", ", counts)}) in {files}");
    }
}
