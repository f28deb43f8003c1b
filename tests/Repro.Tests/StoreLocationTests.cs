using Repro.Blobs.Storage;
using Repro.Model.Workspaces;

namespace Repro.Tests;

public sealed class StoreLocationTests
{
    [Theory]
    [InlineData("version: 1\nstore: postgresql://ana@cfg.test/runs\n")]
    [InlineData("version: 1\n\"store\": 'postgresql://ana@cfg.test/runs'\n")]
    [InlineData("{version: 1, store: postgresql://ana@cfg.test/runs}\n")]
    [InlineData("version: 1\n\"\\x73tore\": postgresql://ana@cfg.test/runs\n")]
    public async Task A_store_key_is_found_however_the_yaml_spells_it(string config)
    {
        using var dir = new TempDirectory();
        var (workspace, _) = Workspace.Init(dir.Path);
        await File.WriteAllTextAsync(workspace.ConfigPath, config);
        var location = await StoreLocation.ResolveAsync(workspace, _ => null, CancellationToken.None);
        Assert.Equal("cfg.test", location.Postgres?.Host);
        Assert.Equal(".repro/config.yaml", location.Origin);
    }

    [Fact]
    public async Task A_config_that_names_no_store_keeps_the_default_and_a_malformed_one_that_does_is_refused()
    {
        using var dir = new TempDirectory();
        var (workspace, _) = Workspace.Init(dir.Path);
        await File.WriteAllTextAsync(workspace.ConfigPath, "# team settings\nversion: 1\nremotes:\n  - name: team\n    url: /srv/blobs\n");
        var location = await StoreLocation.ResolveAsync(workspace, _ => null, CancellationToken.None);
        Assert.Null(location.Postgres);
        Assert.Equal("default", location.Origin);

        await File.WriteAllTextAsync(workspace.ConfigPath, "version: 1\nstore: [postgresql://ana@cfg.test/runs\n");
        var error = await Assert.ThrowsAsync<ReproException>(() => StoreLocation.ResolveAsync(workspace, _ => null, CancellationToken.None));
        Assert.Contains("malformed YAML", error.Message, StringComparison.Ordinal);
    }
}
