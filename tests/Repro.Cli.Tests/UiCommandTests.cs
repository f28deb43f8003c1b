namespace Repro.Cli.Tests;

public sealed class UiCommandTests
{
    [Theory]
    [InlineData("--token must be at least 16 characters", "ui", "--port", "0", "--token", "short")]
    [InlineData("--host must be an IP address, got 'not-an-address'", "ui", "--port", "0", "--host", "not-an-address", "--token", "0123456789abcdef0123")]
    [InlineData("--port must be between 0 and 65535, got 70000", "ui", "--port", "70000")]
    public async Task Bad_ui_options_are_one_line_and_exit_2_before_anything_listens(string message, params string[] args)
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        var result = await dir.ReproAsync(args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("serving", result.Stdout, StringComparison.Ordinal);
    }
}
