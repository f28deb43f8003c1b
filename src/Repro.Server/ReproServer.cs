using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Repro.Server;

/// <summary>
/// The <c>repro ui</c> web server: the browser UI at <c>/</c> and the MLflow-compatible tracking
/// API under <c>/api/2.0/mlflow/</c>, on Kestrel. Binds to 127.0.0.1 unless told otherwise, and
/// refuses to listen elsewhere without a token; bodies over <see cref="ServerOptions.MaxBodyBytes"/>
/// are refused with 413, query strings over <see cref="ServerOptions.MaxQueryChars"/> with 414
/// (<see cref="ServerLimits"/>).
/// </summary>
public sealed class ReproServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ReproServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where it listens, with the port actually bound.</summary>
    public Uri Url { get; }

    public static async Task<ReproServer> StartAsync(ServerOptions options, ServerContext context, CancellationToken cancellationToken)
    {
        if (!TokenGuard.IsLoopback(options.Host) && options.Token is null)
        {
            throw ReproException.Usage($"listening on {options.Host} needs a token: pass --token TOKEN (or let repro ui generate one)");
        }

        var address = options.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : IPAddress.TryParse(options.Host, out var parsed) ? parsed : throw ReproException.Usage($"--host must be an IP address, got '{options.Host}'");
        if (options.Port is < 0 or > 65535)
        {
            throw ReproException.Usage($"--port must be between 0 and 65535, got {options.Port}");
        }

        // The empty builder: no configuration files, so nothing watches the folder repro ui runs in
        // (the default builders watch the whole tree under their content root for appsettings.json
        // changes: an inotify watch a folder, and events on every write to the store), and no logging.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;

            // Kestrel's own line limit sits above the query limit, so an over-long query gets the clear 414 below.
            kestrel.Limits.MaxRequestLineSize = (int)Math.Min(int.MaxValue / 2, options.MaxQueryChars + (8 << 10));
            kestrel.Limits.MaxRequestHeadersTotalSize = (int)Math.Min(int.MaxValue / 2, ServerLimits.MaxHeaderBytes.Value);
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, options.Port);
        });
        builder.Services.AddSingleton(context);
        builder.Services.AddSingleton(options);
        var app = builder.Build();

        app.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > options.MaxBodyBytes)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await http.Response.WriteAsJsonAsync(new ErrorBody("INVALID_PARAMETER_VALUE", $"request body of {http.Request.ContentLength} bytes is over the limit of {options.MaxBodyBytes} bytes; set {ServerLimits.MaxBodyBytes.Variable}=N before repro ui to raise it"), ServerJson.Default.ErrorBody);
                return;
            }

            if (http.Request.QueryString.Value is { } query && query.Length > options.MaxQueryChars)
            {
                http.Response.StatusCode = StatusCodes.Status414UriTooLong;
                await http.Response.WriteAsJsonAsync(new ErrorBody("INVALID_PARAMETER_VALUE", $"query string of {query.Length} characters is over the limit of {options.MaxQueryChars}; set {ServerLimits.MaxQueryChars.Variable}=N before repro ui to raise it"), ServerJson.Default.ErrorBody);
                return;
            }

            http.Response.Headers.XContentTypeOptions = "nosniff";
            await next(http);
        });
        if (options.Token is { } token)
        {
            app.Use((http, next) => TokenGuard.InvokeAsync(http, token, next));
        }

        MlflowEndpoints.Map(app.MapGroup("/api/2.0/mlflow"), context);
        UiEndpoints.Map(app, context);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw ReproException.CannotExecute($"cannot listen on {options.Host}:{options.Port}: {ex.Message}");
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new ReproServer(app, new Uri($"http://{host}:{port}/"));
    }

    /// <summary>Waits until the server is stopped (Ctrl+C or <paramref name="cancellationToken"/>).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
