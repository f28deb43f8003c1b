using System.Globalization;
using Repro.Tests.Shared;

namespace Repro.Bench;

/// <summary>
/// What `--executor container` adds to `repro run`: the median of `repro run --executor container
/// --image IMG -- true` minus the median of `repro run -- true`, next to the bare engine's cost
/// (`podman run --rm --network none IMG true`). The image is the tests' (built from this machine's
/// Python once per content).
/// </summary>
public static class ContainerBench
{
    private const double TargetSeconds = 1.0;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.ReproPath))
        {
            throw new FileNotFoundException($"{options.ReproPath} not found: build it with scripts/build-repro", options.ReproPath);
        }

        var image = await TestImage.TagAsync();
        var work = Path.Combine(temp, "container");
        Directory.CreateDirectory(work);
        string[] local = [.. options.ReproPrefix, "run", "--quiet", "--", "true"];
        string[] container = [.. options.ReproPrefix, "run", "--quiet", "--executor", "container", "--image", image, "--", "true"];
        string[] bare = ["run", "--rm", "--init", "--pull", "never", "--network", "none", image, "true"];

        await Measure.RunAsync(options.Repro, [.. options.ReproPrefix, "init"], work, cancellationToken);
        await Measure.RunAsync(options.Repro, local, work, cancellationToken);
        await Measure.RunAsync(options.Repro, container, work, cancellationToken);
        await Measure.RunAsync(TestImage.Podman, bare, work, cancellationToken);

        var locals = new List<double>();
        var containers = new List<double>();
        var bares = new List<double>();
        log.WriteLine($"[container] {options.ProcessRuns} x `repro run -- true`, `repro run --executor container -- true` and `podman run {image} true`");
        for (var i = 0; i < options.ProcessRuns; i++)
        {
            locals.Add((await Measure.RunAsync(options.Repro, local, work, cancellationToken)).Seconds);
            containers.Add((await Measure.RunAsync(options.Repro, container, work, cancellationToken)).Seconds);
            bares.Add((await Measure.RunAsync(TestImage.Podman, bare, work, cancellationToken)).Seconds);
        }

        var overhead = Measure.Median(containers) - Measure.Median(locals);
        var engine = Measure.Median(bares);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[container] local {Measure.Median(locals) * 1000:0.0} ms, container {Measure.Median(containers) * 1000:0.0} ms, bare podman {engine * 1000:0.0} ms"));
        return
        [
            new ResultRow(
                $"`repro run --executor container -- true` over local (median of {options.ProcessRuns})",
                $"+{Measure.Ms(overhead)} ({Measure.Ms(Measure.Median(containers))} vs local {Measure.Ms(Measure.Median(locals))})",
                $"bare `podman run --rm` of the same image: {Measure.Ms(engine)}",
                engine / overhead,
                string.Create(CultureInfo.InvariantCulture, $"< {TargetSeconds * 1000:0} ms over local"),
                overhead < TargetSeconds),
        ];
    }
}
