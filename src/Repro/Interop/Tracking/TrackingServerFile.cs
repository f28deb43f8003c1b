using System.Text.Json;
using System.Text.Json.Serialization;
using Repro.Blobs.Storage;
using Repro.Model.Serialization;
using Repro.Model.Workspaces;

namespace Repro.Interop.Tracking;

/// <summary>
/// How <c>repro run</c> finds the <c>repro ui</c> serving its workspace: .repro/ui.json holds the
/// server's URL and process id while it runs, and whether it asks for a token (never the token
/// itself). A file whose process is gone is stale and ignored.
/// </summary>
public sealed record TrackingServerFile
{
    public const string FileName = "ui.json";

    [JsonPropertyName("url")]
    public required string Url { get; init; }

    [JsonPropertyName("pid")]
    public required int Pid { get; init; }

    [JsonPropertyName("token_required")]
    public bool TokenRequired { get; init; }

    public static string PathFor(Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return Path.Combine(workspace.ReproDirectory, FileName);
    }

    public static Task WriteAsync(Workspace workspace, TrackingServerFile file, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(PathFor(workspace), JsonSerializer.Serialize(file, TrackingServerJson.Default.TrackingServerFile), cancellationToken);

    /// <summary>The server serving <paramref name="workspace"/>, or null when none runs (no file, unreadable, or its process gone).</summary>
    public static TrackingServerFile? ReadLive(Workspace workspace)
    {
        TrackingServerFile? file;
        try
        {
            file = JsonSerializer.Deserialize(BoundedFile.ReadAllText(PathFor(workspace), TextLimits.MaxFileBytes), TrackingServerJson.Default.TrackingServerFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or BadInputException)
        {
            return null;
        }

        return file is not null && RunOwner.IsAlive(file.Pid) && Uri.TryCreate(file.Url, UriKind.Absolute, out _) ? file : null;
    }

    /// <summary>Removes the file if it still names <paramref name="pid"/> (another server may have replaced it).</summary>
    public static void Remove(Workspace workspace, int pid)
    {
        var path = PathFor(workspace);
        try
        {
            var file = JsonSerializer.Deserialize(BoundedFile.ReadAllText(path, TextLimits.MaxFileBytes), TrackingServerJson.Default.TrackingServerFile);
            if (file?.Pid == pid)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or BadInputException)
        {
        }
    }
}
