using Microsoft.AspNetCore.Builder;

namespace Repro.Server;

/// <summary>The browser UI: server-rendered pages with embedded assets, no CDN.</summary>
public static class UiEndpoints
{
    public static void Map(WebApplication app, ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(context);
    }
}
