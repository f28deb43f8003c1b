using System.CommandLine;
using Repro.Capture;
using Repro.Cli.Rendering;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro env</c>: what the environment probe records here, without running anything.</summary>
public static class EnvCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the environment pillar as JSON." };
        var python = new Option<string?>("--python") { Description = "Interpreter to probe (default: python3 on PATH)." };
        var command = new Command("env", "Show what the environment probe sees here, without running anything; env export freezes a run's. Reference: docs/run.md") { json, python, EnvExportCommand.Create(context) };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var variables = RunCommand.CurrentEnvironment();
            var snapshot = await SystemProbe.CaptureAsync(variables, cancellationToken);
            var requested = parse.GetValue(python);
            var interpreter = ExecutableResolver.Find(requested ?? "python3", variables.GetValueOrDefault("PATH"));
            if (interpreter is null && requested is not null)
            {
                throw ReproException.Usage($"python interpreter not found: {requested}");
            }

            if (interpreter is not null)
            {
                var (info, error) = await PythonProbe.ProbeAsync(interpreter, Environment.CurrentDirectory, variables.ToDictionary(p => p.Key, p => (string?)p.Value), cancellationToken);
                snapshot = info is not null
                    ? snapshot with { Python = info }
                    : snapshot with { Unknown = new SortedDictionary<string, string>(snapshot.Unknown.ToDictionary(), StringComparer.Ordinal) { ["python"] = error! } };
            }

            if (parse.GetValue(json))
            {
                context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(snapshot, indented: true)));
            }
            else
            {
                ShowRenderer.RenderEnvironment(context.Out, snapshot, verbose: true);
            }

            return 0;
        });
        return command;
    }
}
