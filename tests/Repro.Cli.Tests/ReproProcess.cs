using System.Diagnostics;
using System.Text;

namespace Repro.Cli.Tests;

/// <summary>
/// Runs the real built <c>repro</c> as a child process: the native program named by
/// <c>REPRO_TEST_EXE</c> (scripts/test sets it to the build users install), else
/// <c>dotnet repro.dll</c> next to the tests.
/// </summary>
public static class ReproProcess
{
    public static string Dll { get; } = Path.Combine(AppContext.BaseDirectory, "repro.dll");

    /// <summary>The native repro under test, or null when the tests run the portable repro.dll.</summary>
    public static string? Executable { get; } = Environment.GetEnvironmentVariable("REPRO_TEST_EXE") is { Length: > 0 } exe
        ? File.Exists(exe) ? Path.GetFullPath(exe) : throw new FileNotFoundException($"REPRO_TEST_EXE names {exe}, which does not exist", exe)
        : null;

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static Process Start(string workingDirectory, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, bool redirectInput = true)
    {
        var info = new ProcessStartInfo(Executable ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        if (Executable is null)
        {
            info.ArgumentList.Add(Dll);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("REPRO_SEED");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return Process.Start(info)!;
    }

    public static async Task<Result> RunWithAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, string? stdin, params string[] args)
    {
        using var process = Start(workingDirectory, args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(string workingDirectory, params string[] args) => RunWithAsync(workingDirectory, null, null, args);

    public static async Task<string> GitAsync(string directory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_AUTHOR_NAME"] = info.Environment["GIT_COMMITTER_NAME"] = "Test";
        info.Environment["GIT_AUTHOR_EMAIL"] = info.Environment["GIT_COMMITTER_EMAIL"] = "test@example.test";
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)} failed: {error}");
        return output.Trim();
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
