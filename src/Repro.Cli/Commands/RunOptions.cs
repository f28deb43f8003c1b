using System.CommandLine;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary>The options that describe what a run records, shared by <c>repro run</c> and <c>repro seeds -- COMMAND</c>.</summary>
public sealed class RunOptions
{
    private readonly Option<string?> _name = new("--name") { Description = "A name for the run (later: refer to its newest run by this name)." };
    private readonly Option<string[]> _deps = new("--dep") { Description = "An input file or folder: hashed and cached before the command starts. Repeatable." };
    private readonly Option<string[]> _outs = new("--out") { Description = "An output file or folder: hashed and cached after the command ends; {seed} in the path is replaced. Repeatable." };
    private readonly Option<string[]> _metrics = new("--metrics") { Description = "A metrics file the command writes (JSON, YAML or CSV); {seed} in the path is replaced. Repeatable." };
    private readonly Option<string[]> _params = new("--param") { Description = "A parameter KEY=VALUE to record. Repeatable." };
    private readonly Option<string[]> _paramsFiles = new("--params-file") { Description = "A YAML or JSON file of parameters (keys flattened with '.'). Repeatable." };
    private readonly Option<bool> _deterministic = new("--deterministic") { Description = "Set the determinism profile (CUBLAS_WORKSPACE_CONFIG, TF_DETERMINISTIC_OPS, thread counts = 1, MKL_CBWR)." };
    private readonly Option<string[]> _tags = new("--tag") { Description = "A tag KEY=VALUE. Repeatable." };
    private readonly Option<string?> _python = new("--python") { Description = "The Python interpreter to record when the command does not start with one." };

    public Option<string?> Name => _name;

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _name, _deps, _outs, _metrics, _params, _paramsFiles, _deterministic, _tags, _python })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Options other than --name that were given: they describe a new command, not a recorded run.</summary>
    public IReadOnlyList<string> GivenRecordingOptions(ParseResult parse) =>
        new Option[] { _deps, _outs, _metrics, _params, _paramsFiles, _deterministic, _tags, _python }
            .Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();

    public RunRequest ToRequest(ParseResult parse, CliContext context, IReadOnlyList<string> command, long? seed) => new()
    {
        Name = parse.GetValue(_name),
        Deps = parse.GetValue(_deps) ?? [],
        Outs = parse.GetValue(_outs) ?? [],
        MetricsFiles = parse.GetValue(_metrics) ?? [],
        Params = parse.GetValue(_params) ?? [],
        ParamsFiles = parse.GetValue(_paramsFiles) ?? [],
        Seed = seed,
        Deterministic = parse.GetValue(_deterministic),
        Tags = parse.GetValue(_tags) ?? [],
        Python = parse.GetValue(_python),
        Command = command,
        WorkingDirectory = context.WorkingDirectory,
        Environment = context.EnvironmentCopy(),
    };
}
