using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Cli.Tests;

/// <summary>
/// The real <c>repro ui</c> against oversized requests: each is refused with its status and an
/// MLflow error body naming the limit and the variable that raises it, and the server goes on.
/// </summary>
public sealed partial class UiLimitsEndToEndTests
{
    [Fact]
    public async Task Oversized_query_strings_bodies_and_nesting_are_refused_by_name_and_the_server_goes_on()
    {
        using var dir = new Workdir();
        await dir.InitAsync();
        using var ui = ReproProcess.Start(dir.Path, ["ui", "--port", "0"]);
        try
        {
            using var http = new HttpClient { BaseAddress = await ServingAsync(ui) };

            using var longQuery = await http.GetAsync("/api/2.0/mlflow/runs/get?run_id=" + new string('a', 10_000));
            Assert.Equal(HttpStatusCode.RequestUriTooLong, longQuery.StatusCode);
            Assert.Contains("REPRO_LIMIT_HTTP_MAX_QUERY_CHARS", await longQuery.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Expect: 100-continue, so the refusal (decided from the length alone) arrives instead of a broken pipe.
            using var declaredRequest = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/runs/create") { Content = new ByteArrayContent(new byte[2 << 20]) };
            declaredRequest.Headers.ExpectContinue = true;
            using var declared = await http.SendAsync(declaredRequest);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
            Assert.Contains("REPRO_LIMIT_HTTP_MAX_BODY_BYTES", await declared.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // No Content-Length: Kestrel stops reading the chunked body at the limit.
            using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/runs/create") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"a\": \"" + new string('x', 2 << 20) + "\"}"))) };
            chunked.Headers.TransferEncodingChunked = true;
            using var chunkedResponse = await http.SendAsync(chunked);
            Assert.True(chunkedResponse.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{(int)chunkedResponse.StatusCode} {await chunkedResponse.Content.ReadAsStringAsync()}");

            using var deep = await http.PostAsync("/api/2.0/mlflow/runs/create", new StringContent("{\"a\": " + new string('[', 100) + new string(']', 100) + "}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
            Assert.Contains("depth", await deep.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            using var after = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        }
        finally
        {
            ui.Kill(entireProcessTree: true);
            await ui.WaitForExitAsync();
        }
    }

    private static async Task<Uri> ServingAsync(Process ui)
    {
        var serving = await ui.StandardOutput.ReadLineAsync();
        var match = Serving().Match(serving ?? string.Empty);
        Assert.True(match.Success, $"repro ui did not start: {serving} {(ui.HasExited ? await ui.StandardError.ReadToEndAsync() : string.Empty)}");
        return new Uri(match.Groups[1].Value);
    }

    [GeneratedRegex("serving (http://\\S+)")]
    private static partial Regex Serving();
}
