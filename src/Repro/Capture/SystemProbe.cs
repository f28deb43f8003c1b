using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Repro.Model;

namespace Repro.Capture;

/// <summary>
/// Pillar three: the machine. Reads /proc and /etc in-process (a few milliseconds); the GPU
/// probe starts one process (<c>nvidia-smi</c>) only when it is on PATH. A probe that fails
/// records why in <see cref="EnvironmentSnapshot.Unknown"/> and never aborts a run.
/// </summary>
public static partial class SystemProbe
{
    /// <summary>Instruction-set extensions that change floating-point code paths (and so results).</summary>
    public static IReadOnlySet<string> RelevantCpuFlags { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "sse2", "sse3", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma", "f16c",
        "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile",
        "asimd", "sve", "sve2",
    };

    public static async Task<EnvironmentSnapshot> CaptureAsync(IEnumerable<KeyValuePair<string, string>> variables, CancellationToken cancellationToken)
    {
        var unknown = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var (values, names) = EnvironmentVariablePolicy.Apply(variables);
        var gpu = await ProbeGpuAsync(variables, cancellationToken);
        return new EnvironmentSnapshot
        {
            Hostname = Try(unknown, "hostname", () => Environment.MachineName),
            Os = Try(unknown, "os", ReadOs),
            Kernel = Try(unknown, "kernel", () => ReadFirstLine("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription),
            Architecture = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            Cpu = Try(unknown, "cpu", ReadCpu),
            MemoryBytes = Try(unknown, "memory", ReadMemory),
            Gpu = gpu,
            Container = Try(unknown, "container", ReadContainer) ?? new ContainerInfo(),
            Locale = values.GetValueOrDefault("LC_ALL") is { Length: > 0 } all ? all
                : values.GetValueOrDefault("LANG") is { Length: > 0 } lang ? lang
                : CultureInfo.CurrentCulture.Name is { Length: > 0 } culture ? culture : "C",
            TimeZone = TimeZoneInfo.Local.Id,
            Dotnet = RuntimeInformation.FrameworkDescription,
            Variables = values,
            OtherVariables = names,
            Unknown = unknown,
        };
    }

    internal static CpuInfo ReadCpu()
    {
        string? model = null;
        var flags = new SortedSet<string>(StringComparer.Ordinal);
        var logical = 0;
        if (File.Exists("/proc/cpuinfo"))
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var key = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                switch (key)
                {
                    case "processor":
                        logical++;
                        break;
                    case "model name" or "Model" or "cpu model" when model is null:
                        model = value;
                        break;
                    case "flags" or "Features":
                        foreach (var flag in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                        {
                            if (RelevantCpuFlags.Contains(flag))
                            {
                                flags.Add(flag);
                            }
                        }

                        break;
                }
            }
        }

        return new CpuInfo
        {
            Model = model ?? RuntimeInformation.ProcessArchitecture.ToString(),
            LogicalCores = logical > 0 ? logical : Environment.ProcessorCount,
            AvailableCores = Environment.ProcessorCount,
            Flags = flags.ToList(),
        };
    }

    internal static OsInfo ReadOs()
    {
        var path = File.Exists("/etc/os-release") ? "/etc/os-release" : "/usr/lib/os-release";
        if (!File.Exists(path))
        {
            return new OsInfo(RuntimeInformation.OSDescription, Environment.OSVersion.Version.ToString(), null);
        }

        var fields = File.ReadLines(path)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0])
            .ToDictionary(g => g.Key, g => g.First()[1].Trim().Trim('"'), StringComparer.Ordinal);
        return new OsInfo(
            fields.GetValueOrDefault("PRETTY_NAME") ?? fields.GetValueOrDefault("NAME") ?? "unknown",
            fields.GetValueOrDefault("VERSION_ID"),
            fields.GetValueOrDefault("ID"));
    }

    private static long ReadMemory()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                var kb = long.Parse(line["MemTotal:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                return kb * 1024;
            }
        }

        throw new InvalidDataException("no MemTotal in /proc/meminfo");
    }

    internal static ContainerInfo ReadContainer()
    {
        var hints = new List<string>();
        string? engine = null;
        if (File.Exists("/.dockerenv"))
        {
            hints.Add("/.dockerenv exists");
            engine = "docker";
        }

        if (File.Exists("/run/.containerenv"))
        {
            hints.Add("/run/.containerenv exists");
            engine = "podman";
        }

        if (Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null)
        {
            hints.Add("KUBERNETES_SERVICE_HOST is set");
            engine ??= "kubernetes";
        }

        if (Environment.GetEnvironmentVariable("container") is { Length: > 0 } container)
        {
            hints.Add($"container={container}");
            engine ??= container;
        }

        string? id = null;
        foreach (var file in new[] { "/proc/self/cgroup", "/proc/self/mountinfo" })
        {
            if (!File.Exists(file))
            {
                continue;
            }

            var text = File.ReadAllText(file);
            foreach (var marker in new[] { "docker", "kubepods", "libpod", "containerd", "lxc" })
            {
                if (text.Contains(marker, StringComparison.Ordinal) && !hints.Any(h => h.Contains(marker, StringComparison.Ordinal)))
                {
                    hints.Add($"{marker} in {file}");
                    engine ??= marker == "libpod" ? "podman" : marker == "kubepods" ? "kubernetes" : marker;
                }
            }

            if (engine is not null && id is null && ContainerId().Match(text) is { Success: true } match)
            {
                id = match.Value;
            }
        }

        return new ContainerInfo { Inside = engine is not null, Engine = engine, Id = id, Hints = hints };
    }

    private static async Task<GpuInfo> ProbeGpuAsync(IEnumerable<KeyValuePair<string, string>> variables, CancellationToken cancellationToken)
    {
        var path = variables.FirstOrDefault(v => v.Key == "PATH").Value;
        var smi = ExecutableResolver.Find("nvidia-smi", path);
        if (smi is null)
        {
            return new GpuInfo { Present = false, Note = "nvidia-smi not found on PATH" };
        }

        var query = await ProcessCapture.RunAsync(smi, ["--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"], null, null, cancellationToken, TimeSpan.FromSeconds(10));
        if (query is null || query.ExitCode != 0)
        {
            return new GpuInfo { Present = false, Note = $"nvidia-smi failed: {query?.Stderr.Trim() ?? "could not start"}" };
        }

        var devices = new List<GpuDevice>();
        string? driver = null;
        foreach (var line in query.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            devices.Add(new GpuDevice(parts[0], parts.Length > 2 ? parts[2] : null));
            driver ??= parts.Length > 1 ? parts[1] : null;
        }

        var banner = await ProcessCapture.RunAsync(smi, [], null, null, cancellationToken, TimeSpan.FromSeconds(10));
        var cuda = banner is null ? null : CudaVersion().Match(banner.StdoutText) is { Success: true } m ? m.Groups[1].Value : null;
        return new GpuInfo { Present = devices.Count > 0, Devices = devices, Driver = driver, Cuda = cuda, Note = devices.Count == 0 ? "nvidia-smi lists no GPU" : null };
    }

    private static T? Try<T>(SortedDictionary<string, string> unknown, string probe, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidDataException or InvalidOperationException)
        {
            unknown[probe] = ex.Message;
            return default;
        }
    }

    private static string? ReadFirstLine(string path) => File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;

    [GeneratedRegex(@"CUDA Version:\s*([0-9.]+)")]
    private static partial Regex CudaVersion();

    [GeneratedRegex(@"\b[0-9a-f]{64}\b")]
    private static partial Regex ContainerId();
}
