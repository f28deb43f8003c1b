using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Capture;

namespace Repro.Execution;

/// <summary>
/// Talks to Slurm through its own commands (sbatch, scontrol, scancel, sinfo), as a user on a
/// login node does: each call starts one short process. Accounting (sacct) is not needed.
/// </summary>
public sealed partial class SlurmClient
{
    /// <summary>How long one Slurm command may take before the controller counts as unavailable.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Checks sbatch is installed and the controller answers; throws exit 3 saying what is missing.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (ExecutableResolver.Find("sbatch", Environment.GetEnvironmentVariable("PATH")) is null)
        {
            throw ReproException.CannotExecute("sbatch not found on PATH: run on a Slurm login node, or install Slurm's client (Debian: apt-get install slurm-client)");
        }

        var ping = await RunAsync("sinfo", ["-h", "-o", "%P"], null, cancellationToken);
        if (ping.ExitCode != 0)
        {
            throw ReproException.CannotExecute($"the Slurm controller does not answer (sinfo: {FirstLine(ping.Stderr)})");
        }
    }

    /// <summary>Submits the job and returns its id (the array's job id).</summary>
    public async Task<string> SubmitAsync(SlurmSubmission submission, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "--parsable",
            "--job-name=" + submission.JobName,
            "--chdir=" + submission.WorkingDirectory,
            "--output=" + submission.Output,
            "--error=" + (submission.Error ?? submission.Output),
            "--export=ALL",
            "--requeue",
        };
        if (submission.ArraySize is { } size)
        {
            var range = "--array=0-" + (size - 1).ToString(CultureInfo.InvariantCulture);
            arguments.Add(submission.Options.Throttle is { } throttle ? range + "%" + throttle.ToString(CultureInfo.InvariantCulture) : range);
        }

        arguments.AddRange(submission.Options.SbatchArguments());
        arguments.Add(submission.Script);
        var result = await RunAsync("sbatch", arguments, submission.Environment, cancellationToken);
        var text = result.Stdout.Trim();
        var id = text.Split(';')[0];
        if (result.ExitCode != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
        {
            throw ReproException.CannotExecute($"sbatch refused the job: {FirstLine(result.Stderr.Length > 0 ? result.Stderr : text)}");
        }

        return id;
    }

    /// <summary>
    /// Every task of the job, pending ones expanded one per index; null when Slurm no longer
    /// knows the job (its record is kept about 300 s after it ends).
    /// </summary>
    public async Task<IReadOnlyList<SlurmTask>?> ShowJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var result = await RunAsync("scontrol", ["-o", "show", "job", jobId], null, cancellationToken);
        if (result.ExitCode != 0)
        {
            if (result.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw new SlurmUnavailableException($"scontrol show job {jobId}: {FirstLine(result.Stderr)}");
        }

        return Parse(result.Stdout);
    }

    /// <summary>Cancels a job, or one task of an array (<c>JOB_TASK</c>).</summary>
    public async Task CancelAsync(string target, CancellationToken cancellationToken)
    {
        var result = await RunAsync("scancel", [target], null, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw ReproException.CannotExecute($"scancel {target}: {FirstLine(result.Stderr)}");
        }
    }

    /// <summary>Reads <c>scontrol -o show job</c>: one line per job or array task.</summary>
    public static IReadOnlyList<SlurmTask> Parse(string text)
    {
        var tasks = new List<SlurmTask>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match match in Field().Matches(line))
            {
                fields.TryAdd(match.Groups[1].Value, match.Groups[2].Value);
            }

            if (!fields.TryGetValue("JobId", out var jobId) || !fields.TryGetValue("JobState", out var state))
            {
                continue;
            }

            var (exit, signal) = ExitCodeOf(fields.GetValueOrDefault("ExitCode"));
            var template = new SlurmTask
            {
                ArrayJobId = fields.GetValueOrDefault("ArrayJobId") ?? jobId,
                State = state,
                ExitCode = exit,
                Signal = signal,
                Node = NodeOf(fields),
                Partition = fields.GetValueOrDefault("Partition"),
                Reason = fields.GetValueOrDefault("Reason") is { } reason && reason != "None" ? reason : null,
            };
            if (fields.GetValueOrDefault("ArrayTaskId") is not { } indices)
            {
                tasks.Add(template);
                continue;
            }

            foreach (var index in ExpandIndices(indices))
            {
                tasks.Add(template with { TaskIndex = index });
            }
        }

        return tasks;
    }

    /// <summary>"3", "2-4", "1,3,5-7%2" (a pending array's remaining tasks) as the indices they name.</summary>
    public static IEnumerable<int> ExpandIndices(string spec)
    {
        var list = spec.Split('%')[0];
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split(':')[0].Split('-');
            if (!int.TryParse(range[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var first))
            {
                continue;
            }

            var last = range.Length > 1 && int.TryParse(range[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var end) ? end : first;
            for (var i = first; i <= last; i++)
            {
                yield return i;
            }
        }
    }

    private static string? NodeOf(Dictionary<string, string> fields)
    {
        foreach (var key in new[] { "BatchHost", "NodeList" })
        {
            if (fields.GetValueOrDefault(key) is { Length: > 0 } node && node != "(null)")
            {
                return node;
            }
        }

        return null;
    }

    private static (int Exit, int Signal) ExitCodeOf(string? text)
    {
        if (text is null)
        {
            return (0, 0);
        }

        var parts = text.Split(':');
        var exit = int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) ? e : 0;
        var signal = parts.Length > 1 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
        return (exit, signal);
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return line is null or "" ? "no message" : line;
    }

    private sealed record Output(int ExitCode, string Stdout, string Stderr);

    /// <summary>Starts one Slurm command; <paramref name="environment"/>, when given, is its whole environment.</summary>
    private async Task<Output> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            info.Environment.Clear();
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw ReproException.CannotExecute($"cannot start {fileName}: {ex.Message} (is Slurm's client installed and on PATH?)");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new SlurmUnavailableException($"{fileName} did not answer within {CommandTimeout.TotalSeconds:0} s");
        }

        return new Output(process.ExitCode, await stdout, await stderr);
    }

    [GeneratedRegex(@"(?:^|\s)([A-Za-z][A-Za-z0-9_/:]*)=(\S*)")]
    private static partial Regex Field();
}
