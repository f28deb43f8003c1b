using System.CommandLine;
using Repro.Capture;
using Repro.Cli.Rendering;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro env</c>: what the environment probe records here, without running anything.</summary>
public sealed class EnvCommand : CliCommand<EnvSettings>
{
    public EnvCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the environment pillar as JSON." };
        var python = new Option<string?>("--python") { Description = "Interpreter to probe (default: python3 on PATH)." };
        var command = new Command("env", "Show what the environment probe sees here, without running anything; env export freezes a run's. Reference: docs/run.md") { json, python, EnvExportCommand.Create(context) };
        command.SetAction((parse, cancellationToken) => new EnvCommand(context).RunAsync(
            new EnvSettings
            {
                Json = parse.GetValue(json),
                Python = parse.GetValue(python),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(EnvSettings settings, CancellationToken cancellationToken)
    {
        var variables = Context.EnvironmentCopy();
        var snapshot = await SystemProbe.CaptureAsync(variables, cancellationToken);
        var requested = settings.Python;
        var interpreter = ExecutableResolver.Find(requested ?? "python3", variables.GetValueOrDefault("PATH"), Context.WorkingDirectory);
        if (interpreter is null && requested is not null)
        {
            throw ReproException.NotFound($"python interpreter not found: {requested}");
        }

        if (interpreter is not null)
        {
            var (info, error) = await PythonProbe.ProbeAsync(interpreter, Context.WorkingDirectory, variables.ToDictionary(p => p.Key, p => (string?)p.Value), cancellationToken);
            snapshot = info is not null
                ? snapshot with { Python = info }
                : snapshot with { Unknown = new SortedDictionary<string, string>(snapshot.Unknown.ToDictionary(), StringComparer.Ordinal) { ["python"] = error! } };
        }

        if (settings.Json)
        {
            Context.Out.Write(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(snapshot, indented: true)));
        }
        else
        {
            ShowRenderer.RenderEnvironment(Context.Out, snapshot, verbose: true);
        }

        return 0;
    }
}
