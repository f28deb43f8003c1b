using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>
/// A temp folder for one end-to-end test, removed afterwards. Repro runs in process
/// (<see cref="CliRunner"/>) unless the folder is made <c>native: true</c>, for the tests that
/// check the built program itself (start-up, exit codes, a run and a verify, stdin).
/// </summary>
public sealed class Workdir : IDisposable
{
    public Workdir(bool native = false)
    {
        Native = native;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "repro-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Whether <see cref="ReproAsync"/> starts the built repro instead of running it in process.</summary>
    public bool Native { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public async Task<ReproProcess.Result> ReproAsync(params string[] args) =>
        Native ? await ReproProcess.RunAsync(Path, args) : await CliRunner.RunAsync(Path, args);

    /// <summary>The manifest of a run, from <c>repro show RUN --json</c>.</summary>
    public async Task<JsonElement> ManifestAsync(string run = "@last")
    {
        var show = await ReproAsync("show", run, "--json");
        Assert.True(show.ExitCode == 0, show.ToString());
        return JsonDocument.Parse(show.Stdout).RootElement.Clone();
    }

    public async Task InitAsync()
    {
        var result = await ReproAsync("init");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
