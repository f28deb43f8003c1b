using System.Globalization;
using System.Runtime.InteropServices;
using Repro.Bench;

// Prints ratios against peers measured in the same run; nothing here asserts a time.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Stop the measurements, then clean up the temp folder below.
    e.Cancel = true;
    cancel.Cancel();
};

var log = Console.Error;
var temp = Directory.CreateDirectory(Path.Combine(options.TempRoot, $"repro-bench-{Guid.NewGuid():N}")).FullName;
var loadBefore = LoadAverage();
log.WriteLine($"repro benchmarks ({(options.Quick ? "quick" : "full")}) in {temp}; load average {loadBefore}");
var rows = new List<ResultRow>();
try
{
    if (options.Only.Contains("sha256"))
    {
        rows.AddRange(await Sha256Bench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("folder"))
    {
        rows.AddRange(await FolderBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("cli"))
    {
        rows.AddRange(await CliBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("python"))
    {
        rows.AddRange(await PythonScanBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("data"))
    {
        rows.AddRange(await DataBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("lint"))
    {
        rows.AddRange(await LintBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("pgstore"))
    {
        rows.AddRange(await PgStoreBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("npy") || options.Only.Contains("verify"))
    {
        rows.AddRange(await VerifyBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("container"))
    {
        rows.AddRange(await ContainerBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("slurm"))
    {
        rows.AddRange(await SlurmBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("executor"))
    {
        rows.AddRange(await ExecutorBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("leak"))
    {
        rows.AddRange(await LeakBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("search"))
    {
        rows.AddRange(await SearchBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("mlflow"))
    {
        rows.AddRange(await MlflowBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("ui"))
    {
        rows.AddRange(await UiBench.RunAsync(options, temp, log, cancel.Token));
    }

    if (options.Only.Contains("load"))
    {
        rows.AddRange(await LoadBench.RunAsync(options, temp, log, cancel.Token));
    }
}
catch (OperationCanceledException)
{
    log.WriteLine("cancelled");
    return 130;
}
finally
{
    log.WriteLine($"removing {temp}");
    Directory.Delete(temp, recursive: true);
}

var table = ResultRow.ToMarkdown(rows);
var machine = string.Create(
    CultureInfo.InvariantCulture,
    $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}, .NET {Environment.Version}; 1-minute load average {loadBefore} before, {LoadAverage()} after");
Console.WriteLine();
Console.WriteLine(table);
Directory.CreateDirectory(Path.GetDirectoryName(options.ResultsPath)!);
await File.WriteAllTextAsync(
    options.ResultsPath,
    $"# repro benchmarks ({(options.Quick ? "quick" : "full")}, {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)\n\n{machine}; temp folder in {options.TempRoot}. Ratio = peer time / repro time (above 1: repro is faster).\n\n{table}");
log.WriteLine($"written to {options.ResultsPath}");
return 0;

// Other work on the machine skews every figure: the load average is printed with them.
static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
    catch (IOException)
    {
        return "unknown";
    }
}
