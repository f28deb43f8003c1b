using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Repro.Blobs.Storage;
using Repro.Interop.Tracking;
using Repro.Model.Workspaces;
using Repro.Server;
using Repro.Tests.Shared;

namespace Repro.Cli.Tests.Mlflow;

/// <summary>
/// A real <see cref="ReproServer"/> on a free loopback port over a fresh workspace, for MLflow API
/// tests: its store is the workspace's SQLite file, or a fresh database on a PostgreSQL server.
/// </summary>
public sealed class TrackingServer : IAsyncDisposable
{
    private readonly Workdir _dir;
    private readonly SqlRunStore _store;
    private readonly SerializedRunStore _runs;
    private readonly SqlDatabase _database;
    private readonly TrackingStore _tracking;
    private readonly ReproServer _server;

    private TrackingServer(Workdir dir, Workspace workspace, SqlRunStore store, SerializedRunStore runs, SqlDatabase database, TrackingStore tracking, ReproServer server, string? token)
    {
        _dir = dir;
        Workspace = workspace;
        _store = store;
        _runs = runs;
        _database = database;
        _tracking = tracking;
        _server = server;
        Client = new HttpClient { BaseAddress = server.Url };
        if (token is not null)
        {
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Workspace Workspace { get; }

    public string Root => _dir.Path;

    public Uri Url => _server.Url;

    public HttpClient Client { get; }

    public IRunStore Runs => _runs;

    public static async Task<TrackingServer> StartAsync(string? token = null, PostgresServer? postgres = null)
    {
        var dir = new Workdir();
        var (workspace, _) = Workspace.Init(dir.Path);
        var name = postgres is null ? null : await postgres.CreateDatabaseAsync();
        Task<SqlDatabase> OpenAsync() => name is null ? SqlDatabase.OpenSqliteAsync(workspace.DatabasePath, CancellationToken.None) : postgres!.OpenAsync(name);
        var store = await SqlRunStore.OpenAsync(await OpenAsync(), ownsDatabase: true, CancellationToken.None);
        var runs = new SerializedRunStore(store);
        var database = await OpenAsync();
        var tracking = await TrackingStore.OpenAsync(database, runs, TimeProvider.System, TrackingStore.ArtifactRootFor(workspace.ReproDirectory), CancellationToken.None);
        var context = new ServerContext { Workspace = workspace, Runs = runs, Cache = new ContentCache(workspace.CachePath), Tracking = tracking };
        var server = await ReproServer.StartAsync(new ServerOptions { Port = 0, Token = token }, context, CancellationToken.None);
        return new TrackingServer(dir, workspace, store, runs, database, tracking, server, token);
    }

    /// <summary>POSTs a JSON body as MLflow's client does; returns the status and the parsed answer.</summary>
    public async Task<(int Status, JsonElement Body)> PostAsync(string endpoint, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync("api/2.0/mlflow/" + endpoint, content);
        return ((int)response.StatusCode, await ParseAsync(response));
    }

    /// <summary>
    /// Posts a body the server is expected to refuse from its length alone. With
    /// <c>Expect: 100-continue</c> the body is sent only if the server asks for it, so the
    /// refusal arrives instead of a broken pipe when the server answers before reading.
    /// </summary>
    public async Task<(int Status, JsonElement Body)> PostRefusedByLengthAsync(string endpoint, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/2.0/mlflow/" + endpoint) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, await ParseAsync(response));
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string endpointAndQuery)
    {
        using var response = await Client.GetAsync("api/2.0/mlflow/" + endpointAndQuery);
        return ((int)response.StatusCode, await ParseAsync(response));
    }

    public async Task<string> CreateRunAsync(string experimentId = "0")
    {
        var (status, body) = await PostAsync("runs/create", $$"""{"experiment_id": "{{experimentId}}", "user_id": "alice", "start_time": 1700000000000, "tags": [{"key": "mlflow.user", "value": "alice"}]}""");
        Assert.True(status == 200, body.ToString());
        return body.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        _tracking.Dispose();
        await _database.DisposeAsync();
        await _runs.DisposeAsync();
        await _store.DisposeAsync();
        _dir.Dispose();
    }

    private static async Task<JsonElement> ParseAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
