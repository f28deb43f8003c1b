using System.CommandLine;
using Repro.Execution;

namespace Repro.Cli.Commands;

/// <summary><c>--executor</c> and the executors' options, shared by <c>repro run</c>, <c>repro verify</c> and <c>repro seeds</c>.</summary>
public sealed class ExecutorFlags
{
    private readonly Option<string> _executor = new("--executor")
    {
        Description = "Where the command runs: local (default), sandbox (bubblewrap: no network, read-only except declared outputs, private /tmp), container or slurm.",
        DefaultValueFactory = _ => "local",
    };

    private readonly Option<string?> _image = new("--image") { Description = "--executor container: the image to run in." };
    private readonly Option<string?> _network = new("--network") { Description = "--executor container: the network to give the command (default none)." };
    private readonly Option<string?> _partition = new("--partition") { Description = "--executor slurm: the partition to submit to." };
    private readonly Option<string?> _time = new("--time") { Description = "--executor slurm: time limit per task (e.g. 00:30:00)." };
    private readonly Option<int?> _cpusPerTask = new("--cpus-per-task") { Description = "--executor slurm: cores per task." };
    private readonly Option<int?> _retries = new("--retries") { Description = "--executor slurm: how many times a failed task is submitted again." };

    public void AddTo(Command command)
    {
        _executor.AcceptOnlyFromAmong([.. ExecutorOptions.Names]);
        foreach (var option in new Option[] { _executor, _image, _network, _partition, _time, _cpusPerTask, _retries })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The options given, unchecked: <see cref="ExecutorOptions.Problems"/> says what does not fit (settings validate it).</summary>
    public ExecutorOptions Read(ParseResult parse) => new()
    {
        Name = parse.GetValue(_executor) ?? "local",
        Chosen = parse.GetResult(_executor) is { Implicit: false },
        Image = parse.GetValue(_image),
        Network = parse.GetValue(_network),
        Partition = parse.GetValue(_partition),
        Time = parse.GetValue(_time),
        CpusPerTask = parse.GetValue(_cpusPerTask),
        Retries = parse.GetValue(_retries),
    };

    /// <summary>The first problem of <paramref name="options"/>, for a settings record's <c>Validate</c>.</summary>
    public static ValidationResult Validate(ExecutorOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidationResult.Error(problems[0]) : ValidationResult.Success;
}
