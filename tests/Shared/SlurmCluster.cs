using System.Diagnostics;
using System.Globalization;

namespace Repro.Tests.Shared;

/// <summary>
/// A real single-node Slurm on this machine for the tests and the benchmark: writes the minimal slurm.conf
/// (only if there is none, or the one there is this fixture's), creates the munge key if absent,
/// starts munged, slurmctld and slurmd directly (no systemd), and waits until the node is idle.
/// A cluster that already answers is used as it is. Several test processes may share it: each
/// registers itself, and the last one out stops the daemons a fixture started, by the pids in
/// /run. Needs root and Debian's slurm-wlm and munge (scripts/setup installs them).
/// </summary>
public sealed class SlurmCluster
{
    private const string ConfPath = "/etc/slurm/slurm.conf";

    /// <summary>
    /// The node's task prolog, as many sites have one: a task whose job did not set
    /// OMP_NUM_THREADS gets one thread per CPU Slurm gave it. So the node's environment really
    /// differs from the login machine's, as on a cluster (the tests read it back).
    /// </summary>
    public const string TaskPrologPath = "/etc/slurm/repro-test-task-prolog.sh";

    private const string TaskProlog = """
        #!/bin/sh
        # written by the repro test fixture (SlurmClusterFixture): what a site's TaskProlog often does.
        if [ -z "$OMP_NUM_THREADS" ]; then echo "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}"; fi
        exit 0

        """;
    private const string Marker = "# written by the repro test fixture (SlurmClusterFixture)";
    private const string StartedMarker = "/run/repro-test-slurm.started";
    private const string UsersDirectory = "/run/repro-test-slurm.users";
    private const string LockPath = "/run/repro-test-slurm.lock";

    private static readonly string[] Pids = ["/run/slurmd.pid", "/run/slurmctld.pid", "/run/munge/munged.pid"];

    private string? _registration;

    /// <summary>The node's name, as Slurm knows it (this machine's hostname).</summary>
    public string Node { get; private set; } = string.Empty;

    /// <summary>Starts the cluster, or joins the one that answers.</summary>
    public async Task StartAsync()
    {
        await using var held = await Repro.Blobs.Storage.FileLock.AcquireAsync(LockPath, CancellationToken.None);
        Directory.CreateDirectory(UsersDirectory);
        _registration = Path.Combine(UsersDirectory, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(_registration, string.Empty);
        Node = (await RunAsync("hostname", [])).Stdout.Trim();
        var conf = Conf(Node);
        await WriteTaskPrologAsync();
        if (await IdleAsync())
        {
            // A cluster the tests started earlier, with an older slurm.conf of theirs: bring it up to date.
            if (File.Exists(ConfPath) && await File.ReadAllTextAsync(ConfPath) is var running && running.StartsWith(Marker, StringComparison.Ordinal) && running != conf)
            {
                await WriteConfAsync(conf);
                await MustAsync("scontrol", ["reconfigure"]);
                await WaitIdleAsync();
            }

            return;
        }

        foreach (var tool in new[] { "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/sbin/munged", "/usr/bin/sbatch" })
        {
            if (!File.Exists(tool))
            {
                throw new InvalidOperationException($"{tool} is missing: install Debian's slurm-wlm and munge (scripts/setup does)");
            }
        }

        if (File.Exists(ConfPath))
        {
            var existing = await File.ReadAllTextAsync(ConfPath);
            if (!existing.StartsWith(Marker, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{ConfPath} exists and was not written by the tests, and no cluster answers: not touching it");
            }
        }

        if (!File.Exists(ConfPath) || await File.ReadAllTextAsync(ConfPath) != conf)
        {
            await WriteConfAsync(conf);
        }

        if (!File.Exists("/etc/munge/munge.key"))
        {
            Directory.CreateDirectory("/etc/munge");
            await File.WriteAllBytesAsync("/etc/munge/munge.key", System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
            await MustAsync("chown", ["munge:munge", "/etc/munge/munge.key"]);
            await MustAsync("chmod", ["0400", "/etc/munge/munge.key"]);
        }

        await MustAsync("install", ["-d", "-o", "munge", "-g", "munge", "-m", "0755", "/run/munge"]);
        foreach (var dir in new[] { "/var/log/slurm", "/var/lib/slurm/slurmctld", "/var/lib/slurm/slurmd" })
        {
            await MustAsync("install", ["-d", "-o", "slurm", "-g", "slurm", "-m", "0755", dir]);
        }

        await File.WriteAllTextAsync(StartedMarker, string.Empty);
        if (!Alive("/run/munge/munged.pid"))
        {
            await MustAsync("runuser", ["-u", "munge", "--", "/usr/sbin/munged"]);
        }

        if (!Alive("/run/slurmctld.pid"))
        {
            // -c: a controller the tests start begins with no jobs. Without it, the jobs of a test
            // run that was cut short come back from the saved state as running and hold the node.
            await MustAsync("/usr/sbin/slurmctld", ["-c"]);
        }

        if (!Alive("/run/slurmd.pid"))
        {
            await MustAsync("/usr/sbin/slurmd", []);
        }

        await WaitIdleAsync();
    }

    private static async Task WaitIdleAsync()
    {
        for (var i = 0; i < 300; i++)
        {
            if (await IdleAsync())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException("Slurm did not report an idle node within 30 s (see /var/log/slurm/)");
    }

    private static async Task WriteConfAsync(string conf)
    {
        await File.WriteAllTextAsync(ConfPath + ".tmp", conf);
        File.Move(ConfPath + ".tmp", ConfPath, overwrite: true);
    }

    private static async Task WriteTaskPrologAsync()
    {
        if (File.Exists(TaskPrologPath) && await File.ReadAllTextAsync(TaskPrologPath) == TaskProlog)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(TaskPrologPath)!);
        await File.WriteAllTextAsync(TaskPrologPath + ".tmp", TaskProlog);
        File.SetUnixFileMode(TaskPrologPath + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.Move(TaskPrologPath + ".tmp", TaskPrologPath, overwrite: true);
    }

    /// <summary>Leaves the cluster; the last user out stops the daemons the tests started.</summary>
    public async Task StopAsync()
    {
        await using var held = await Repro.Blobs.Storage.FileLock.AcquireAsync(LockPath, CancellationToken.None);
        if (_registration is not null)
        {
            File.Delete(_registration);
        }

        var others = Directory.EnumerateFiles(UsersDirectory)
            .Where(f => int.TryParse(Path.GetFileName(f), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && pid != Environment.ProcessId && ProcessExists(pid))
            .Any();
        if (others || !File.Exists(StartedMarker))
        {
            return;
        }

        foreach (var pidFile in Pids)
        {
            if (ReadPid(pidFile) is { } pid && ProcessExists(pid))
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                await process.WaitForExitAsync();
            }
        }

        File.Delete(StartedMarker);
    }

    /// <summary>The states of a job's tasks, as Slurm reports them (for tests that watch a job).</summary>
    public static async Task<string> ShowJobAsync(string job) => (await RunAsync("scontrol", ["-o", "show", "job", job])).Stdout;

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Conf(string host) => $"""
        {Marker}
        ClusterName=ci
        SlurmctldHost={host}
        SlurmUser=slurm
        AuthType=auth/munge
        MailProg=/bin/true
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/none
        SelectType=select/cons_tres
        SelectTypeParameters=CR_Core
        MpiDefault=none
        ReturnToService=2
        SlurmctldPidFile=/run/slurmctld.pid
        SlurmdPidFile=/run/slurmd.pid
        SlurmctldLogFile=/var/log/slurm/slurmctld.log
        SlurmdLogFile=/var/log/slurm/slurmd.log
        StateSaveLocation=/var/lib/slurm/slurmctld
        SlurmdSpoolDir=/var/lib/slurm/slurmd
        AccountingStorageType=accounting_storage/none
        JobAcctGatherType=jobacct_gather/none
        TaskProlog={TaskPrologPath}
        NodeName={host} CPUs={Environment.ProcessorCount} State=UNKNOWN
        PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP

        """;

    private static async Task<bool> IdleAsync()
    {
        if (!File.Exists("/usr/bin/sinfo"))
        {
            return false;
        }

        var (exit, stdout, _) = await RunAsync("sinfo", ["-h", "-o", "%t"]);
        return exit == 0 && stdout.Split('\n', StringSplitOptions.TrimEntries).Any(s => s is "idle" or "mix" or "alloc");
    }

    private static async Task MustAsync(string file, string[] arguments)
    {
        var (exit, stdout, stderr) = await RunAsync(file, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with {exit}: {stderr}{stdout}");
        }
    }

    private static int? ReadPid(string path) =>
        File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private static bool Alive(string pidFile) => ReadPid(pidFile) is { } pid && ProcessExists(pid);

    private static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");
}
