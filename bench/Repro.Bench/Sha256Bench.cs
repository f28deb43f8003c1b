using System.Globalization;
using System.Security.Cryptography;
using Repro.Blobs.Hashing;

namespace Repro.Bench;

/// <summary>(a) SHA-256 of one large file in the page cache: repro against sha256sum and openssl.</summary>
public static class Sha256Bench
{
    private const double TargetGbPerSecond = 1.5;
    private const int WriteChunk = 4 << 20;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var path = Path.Combine(temp, "big.bin");
        var bytes = options.BigFileBytes;
        var label = string.Create(CultureInfo.InvariantCulture, $"SHA-256, {bytes >> 20} MiB file (page cache warm)");
        log.WriteLine($"[sha256] writing {bytes >> 20} MiB of random bytes");
        await WriteRandomFileAsync(path, bytes, cancellationToken);

        // Warm the page cache and the JIT: one untimed pass.
        var (expected, size) = await Sha256Hasher.HashFileAsync(path, null, cancellationToken);
        if (size != bytes)
        {
            throw new InvalidOperationException($"hashed {size} bytes of {bytes}");
        }

        var reproTimes = new List<double>();
        for (var i = 0; i < options.Repeats; i++)
        {
            reproTimes.Add(await Measure.SecondsAsync(async () =>
            {
                var (sha, _) = await Sha256Hasher.HashFileAsync(path, null, cancellationToken);
                Check(expected, sha, "repro");
            }));
        }

        var repro = Measure.Median(reproTimes);
        var reproRate = bytes / repro / 1e9;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[sha256] repro {reproRate:0.00} GB/s"));
        var met = reproRate >= TargetGbPerSecond;
        var target = string.Create(CultureInfo.InvariantCulture, $">= {TargetGbPerSecond:0.0} GB/s");
        var rows = new List<ResultRow>();

        var peers = new List<(string Name, string Program, string[] Arguments)> { ("sha256sum", "sha256sum", [path]) };
        if (Measure.FindOnPath("openssl") is not null)
        {
            peers.Add(("openssl dgst -sha256", "openssl", ["dgst", "-sha256", path]));
        }
        else
        {
            log.WriteLine("[sha256] openssl not found: skipped");
        }

        foreach (var (name, program, arguments) in peers)
        {
            var times = new List<double>();
            for (var i = 0; i < options.Repeats; i++)
            {
                var result = await Measure.RunAsync(program, arguments, temp, cancellationToken);
                Check(expected, ParseHex(result.Stdout), name);
                times.Add(result.Seconds);
            }

            var peer = Measure.Median(times);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[sha256] {name} {bytes / peer / 1e9:0.00} GB/s"));
            rows.Add(new ResultRow(label, Rate(bytes, repro), $"{name}: {Rate(bytes, peer)}", peer / repro, target, met));
        }

        // The CPU's ceiling: OpenSSL hashing 1 MiB blocks in memory, no file at all.
        if (await CeilingAsync(temp, log, cancellationToken) is { } ceiling)
        {
            var seconds = bytes / ceiling;
            rows.Add(new ResultRow(label, Rate(bytes, repro), string.Create(CultureInfo.InvariantCulture, $"openssl speed (in memory, CPU ceiling): {ceiling / 1e9:0.00} GB/s"), seconds / repro, target, met));
        }

        File.Delete(path);
        return rows;
    }

    /// <summary>Bytes per second of `openssl speed -evp sha256` on 1 MiB blocks, or null without openssl.</summary>
    private static async Task<double?> CeilingAsync(string temp, TextWriter log, CancellationToken cancellationToken)
    {
        if (Measure.FindOnPath("openssl") is null)
        {
            return null;
        }

        var result = await Measure.RunAsync("openssl", ["speed", "-evp", "sha256", "-bytes", "1048576", "-seconds", "2"], temp, cancellationToken);

        // The last line reads "sha256  1532561.59k": thousands of bytes per second.
        var last = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
        var figure = last.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
        if (figure.EndsWith('k') && double.TryParse(figure[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var thousands))
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[sha256] openssl speed {thousands * 1000 / 1e9:0.00} GB/s"));
            return thousands * 1000;
        }

        log.WriteLine($"[sha256] cannot read `openssl speed` output: '{last}'");
        return null;
    }

    private static string Rate(long bytes, double seconds) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / seconds / 1e9:0.00} GB/s ({seconds:0.00} s)");

    /// <summary>The 64-hex-digit hash in a tool's output ("HASH  FILE" or "SHA2-256(FILE)= HASH").</summary>
    private static string ParseHex(string output) =>
        output.Split([' ', '=', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(token => token.Length == 64 && token.All(char.IsAsciiHexDigitLower))
        ?? throw new InvalidOperationException($"no SHA-256 in '{output.Trim()}'");

    private static void Check(string expected, string actual, string who)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{who} computed {actual}, expected {expected}");
        }
    }

    private static async Task WriteRandomFileAsync(string path, long bytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[WriteChunk];
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes - written)), cancellationToken);
        }
    }
}
