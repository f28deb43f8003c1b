using System.Globalization;
using Repro.Execution;
using Repro.Judging.Studies.Slurm;

namespace Repro.Cli.Rendering;

/// <summary>
/// Shows a Slurm study as its tasks finish: one line per attempt that ends (seed, Slurm state,
/// exit code, node) and, on a terminal, a bar of seeds done, running, pending and failed.
/// </summary>
public sealed class SlurmProgressBar : IProgress<SlurmStudyProgress>, IDisposable
{
    private const int Width = 24;
    private readonly TextWriter _writer;
    private readonly bool _bar;
    private readonly bool _colour;
    private readonly Lock _lock = new();
    private string? _lastProblem;
    private bool _drawn;

    /// <summary>Lines on the context's stderr; the bar (and colour) only when it is a terminal.</summary>
    public SlurmProgressBar(CliContext context)
    {
        _writer = context.Error;
        _bar = context.ErrorIsTerminal;
        _colour = context.ErrorColour;
    }

    public void Report(SlurmStudyProgress value)
    {
        lock (_lock)
        {
            Clear();
            foreach (var task in value.Ended)
            {
                var job = string.Create(CultureInfo.InvariantCulture, $"task {task.TaskIndex} of attempt {task.Batch + 1}");
                var node = task.Node is { } n ? " on " + n : string.Empty;
                var how = task.State == SlurmStates.Forgotten ? "no longer known to Slurm" : string.Create(CultureInfo.InvariantCulture, $"{task.State}, exit {task.ExitCode ?? 0}{(task.Signal is > 0 ? $", signal {task.Signal}" : string.Empty)}");
                var outcome = task.Recorded ? $"run {task.RunId[..8]} recorded" : "no run recorded";
                Terminal.Note(_writer, $"seed {task.Seed.ToString(CultureInfo.InvariantCulture)} ({job}): {how}{node}; {outcome}");
            }

            if (value.Problem is { } problem && problem != _lastProblem)
            {
                Terminal.Warning(_writer, _colour, $"Slurm did not answer ({problem}); still waiting");
            }

            _lastProblem = value.Problem;
            if (_bar)
            {
                var filled = value.Seeds == 0 ? Width : (int)Math.Round((double)value.Done / value.Seeds * Width);
                _writer.Write(string.Create(CultureInfo.InvariantCulture, $"\r  slurm job {string.Join(",", value.Jobs)} [{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Seeds} done, {value.Running} running, {value.Pending} pending, {value.Failed} failed, {value.Resubmitted} resubmitted   "));
                _drawn = true;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            Clear();
        }
    }

    private void Clear()
    {
        if (_drawn)
        {
            _writer.Write("\r" + new string(' ', 120) + "\r");
            _drawn = false;
        }
    }
}
