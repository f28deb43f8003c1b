using System.Net;
using System.Net.Sockets;
using Npgsql;
using Repro.Blobs.Storage;
using Repro.Model.Workspaces;

namespace Repro.Tests;

public sealed class PostgresUrlTests
{
    [Fact]
    public void The_display_form_drops_the_password_and_keeps_the_query_parameters()
    {
        var url = PostgresUrl.Parse("postgres://ana:s3cr%40t@db.example.test:6543/runs?sslmode=disable&application_name=x");
        Assert.True(url.HasPassword);
        Assert.Equal("postgresql://ana@db.example.test:6543/runs?sslmode=disable&application_name=x", url.Display);
        Assert.Equal(url.Display, url.ToString());
        Assert.Equal("db.example.test:6543", url.Endpoint);
        var builder = url.Builder(_ => null);
        Assert.Equal("s3cr@t", builder.Password);
        Assert.Equal(SslMode.Disable, builder.SslMode);
        Assert.Equal("x", builder.ApplicationName);
        Assert.Equal("ana", builder.Username);
    }

    [Fact]
    public void Statements_are_prepared_after_two_uses_unless_the_url_turns_it_off()
    {
        var builder = PostgresUrl.Parse("postgresql://ana@localhost/runs").Builder(_ => null);
        Assert.Equal(64, builder.MaxAutoPrepare);
        Assert.Equal(2, builder.AutoPrepareMinUsages);
        Assert.Equal(0, PostgresUrl.Parse("postgresql://ana@localhost/runs?MaxAutoPrepare=0").Builder(_ => null).MaxAutoPrepare);
        Assert.Equal(0, PostgresUrl.Parse("postgresql://ana@localhost/runs?Max%20Auto%20Prepare=0").Builder(_ => null).MaxAutoPrepare);
    }

    [Fact]
    public void The_password_comes_from_PGPASSWORD_when_the_url_has_none_and_the_port_defaults()
    {
        var url = PostgresUrl.Parse("postgresql://ana@localhost/runs?password=fromquery");
        Assert.Equal("postgresql://ana@localhost:5432/runs", url.Display);
        Assert.Equal("fromquery", url.Builder(_ => null).Password);
        var plain = PostgresUrl.Parse("postgresql://ana@localhost/runs");
        Assert.False(plain.HasPassword);
        Assert.Equal("env", plain.Builder(name => name == "PGPASSWORD" ? "env" : null).Password);
        Assert.Equal("/tmp/pass", plain.Builder(name => name == "PGPASSFILE" ? "/tmp/pass" : null).Passfile);
    }

    [Theory]
    [InlineData("postgresql://ana@localhost:5432")]
    [InlineData("mysql://ana@localhost/runs")]
    [InlineData("postgresql://ana:hunter2@localhost/runs?no_such_parameter=1")]
    public void Malformed_urls_are_usage_errors_that_never_repeat_a_password(string text)
    {
        var error = Assert.Throws<ReproException>(() => PostgresUrl.Parse(text));
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_exit_3_with_host_port_and_reason()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var url = PostgresUrl.Parse($"postgresql://ana:hunter2@127.0.0.1:{port}/runs");
        var error = await Assert.ThrowsAsync<ReproException>(() => url.OpenAsync(_ => null, CancellationToken.None));
        Assert.Equal(ExitCode.CannotExecute, error.Code);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task REPRO_STORE_wins_over_config_and_a_password_in_config_is_refused()
    {
        using var dir = new TempDirectory();
        var (workspace, _) = Workspace.Init(dir.Path);
        Assert.Null((await StoreLocation.ResolveAsync(workspace, _ => null, CancellationToken.None)).Postgres);

        await StoreLocation.Parse(workspace, "postgresql://ana:hunter2@cfg.test/runs", "--store").WriteConfiguredAsync(CancellationToken.None);
        var config = await File.ReadAllTextAsync(workspace.ConfigPath);
        Assert.Contains("store: \"postgresql://ana@cfg.test:5432/runs\"", config, StringComparison.Ordinal);
        Assert.Contains("version: 1", config, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", config, StringComparison.Ordinal);

        var fromConfig = await StoreLocation.ResolveAsync(workspace, _ => null, CancellationToken.None);
        Assert.Equal("cfg.test", fromConfig.Postgres!.Host);
        var fromVariable = await StoreLocation.ResolveAsync(workspace, name => name == StoreLocation.Variable ? "postgresql://ana@env.test/runs" : null, CancellationToken.None);
        Assert.Equal("env.test", fromVariable.Postgres!.Host);
        Assert.Equal(StoreLocation.Variable, fromVariable.Origin);

        await File.WriteAllTextAsync(workspace.ConfigPath, "version: 1\nstore: postgresql://ana:hunter2@cfg.test/runs\n");
        var error = await Assert.ThrowsAsync<ReproException>(() => StoreLocation.ResolveAsync(workspace, _ => null, CancellationToken.None));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
