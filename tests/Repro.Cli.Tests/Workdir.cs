using System.Text.Json;

namespace Repro.Cli.Tests;

/// <summary>A temp folder for one end-to-end test, removed afterwards.</summary>
public sealed class Workdir : IDisposable
{
    public Workdir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "repro-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public async Task<ReproProcess.Result> ReproAsync(params string[] args) => await ReproProcess.RunAsync(Path, args);

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
