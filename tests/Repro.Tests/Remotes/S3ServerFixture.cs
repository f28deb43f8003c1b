using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;

namespace Repro.Tests.Remotes;

/// <summary>
/// A real S3-compatible endpoint on 127.0.0.1 for the tests: <c>moto_server</c> when it is on
/// PATH, else <c>s3rver</c> installed with npm into a cache folder. Started once, stopped by
/// its process id at the end. When neither can be started the tests fail: an S3 remote that
/// was never exercised must not look tested.
/// </summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    private Process? _process;
    private string? _dataDirectory;

    public string Endpoint { get; private set; } = string.Empty;

    public string Server { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var port = FreePort();
        var errors = new List<string>();
        if (FindOnPath("moto_server") is { } moto)
        {
            _process = Launch(moto, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            Server = "moto_server";
            (AccessKey, SecretKey) = ("testing", "testing");
        }
        else if (await InstallS3rverAsync(errors) is { } s3rver)
        {
            _dataDirectory = Path.Combine(Path.GetTempPath(), "repro-s3rver-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(_dataDirectory);
            _process = Launch(s3rver, ["-d", _dataDirectory, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-s"]);
            Server = "s3rver";
            (AccessKey, SecretKey) = ("S3RVER", "S3RVER");
        }
        else
        {
            throw new InvalidOperationException("no S3 stand-in could be started: moto_server is not on PATH and s3rver could not be installed with npm (" + string.Join("; ", errors) + ")");
        }

        Endpoint = $"http://127.0.0.1:{port}";
        if (!await WaitForPortAsync(port, TimeSpan.FromSeconds(30)))
        {
            var exited = _process.HasExited ? $" (it exited with {_process.ExitCode})" : string.Empty;
            throw new InvalidOperationException($"{Server} did not listen on {Endpoint} within 30 s{exited}");
        }
    }

    public string AccessKey { get; private set; } = string.Empty;

    public string SecretKey { get; private set; } = string.Empty;

    /// <summary>The variables a child <c>repro</c> needs to reach the endpoint (the process's own are left alone).</summary>
    public IReadOnlyDictionary<string, string?> Variables => new Dictionary<string, string?>
    {
        ["AWS_ENDPOINT_URL"] = Endpoint,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = "us-east-1",
    };

    public AmazonS3Client Client() => new(AccessKey, SecretKey, new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1", RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED });

    /// <summary>A new empty bucket for one test.</summary>
    public async Task<string> NewBucketAsync()
    {
        var name = "repro-test-" + Guid.NewGuid().ToString("N")[..12];
        using var client = Client();
        await client.PutBucketAsync(name);
        return name;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    private static Process Launch(string executable, string[] args)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {executable}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>s3rver 3.7.1 in a cache folder (REPRO_S3RVER_DIR, default ~/.cache/repro-tests/s3rver), installed once.</summary>
    private static async Task<string?> InstallS3rverAsync(List<string> errors)
    {
        var folder = Environment.GetEnvironmentVariable("REPRO_S3RVER_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "repro-tests", "s3rver");
        var binary = Path.Combine(folder, "node_modules", ".bin", "s3rver");
        if (File.Exists(binary))
        {
            return binary;
        }

        if (FindOnPath("npm") is not { } npm || FindOnPath("node") is null)
        {
            errors.Add("node/npm not on PATH");
            return null;
        }

        Directory.CreateDirectory(folder);
        var info = new ProcessStartInfo(npm) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "install", "--no-audit", "--no-fund", "--prefix", folder, "s3rver@3.7.1" })
        {
            info.ArgumentList.Add(arg);
        }

        using var install = Process.Start(info)!;
        var stderr = install.StandardError.ReadToEndAsync();
        await install.StandardOutput.ReadToEndAsync();
        await install.WaitForExitAsync();
        if (install.ExitCode != 0 || !File.Exists(binary))
        {
            errors.Add($"npm install s3rver@3.7.1 failed: {(await stderr).Trim()}");
            return null;
        }

        return binary;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }
}
