using System.Text;
using Microsoft.AspNetCore.Http;

namespace Repro.Server.Ui;

/// <summary>
/// The frame every page shares: the navigation, the embedded stylesheet, and the headers that
/// keep a page from running anything it did not ship (a strict Content-Security-Policy: no
/// script at all, styles only from <c>/assets/</c>).
/// </summary>
internal static class UiPage
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly (string Path, string Label)[] Navigation = [("/", "Runs"), ("/compare", "Compare"), ("/models", "Models"), ("/audit", "Audit")];

    public static string Render(string title, string active, string body)
    {
        var html = new StringBuilder(body.Length + 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(Html.E(title)).Append(" · repro</title>\n");
        html.Append("<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"/assets/site.css\">\n</head>\n<body>\n");
        html.Append("<header class=\"top\"><a class=\"brand\" href=\"/\">repro</a>");
        foreach (var (path, label) in Navigation)
        {
            html.Append("<a href=\"").Append(path).Append('"').Append(path == active ? " class=\"active\"" : string.Empty).Append('>').Append(label).Append("</a>");
        }

        html.Append("</header>\n<main>\n").Append(body).Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    public static async Task WriteAsync(HttpContext http, int status, string title, string active, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        await http.Response.WriteAsync(Render(title, active, body), http.RequestAborted);
    }

    /// <summary>A page that says what went wrong, in one line, with the status that fits.</summary>
    public static Task ErrorAsync(HttpContext http, int status, string title, string message) =>
        WriteAsync(http, status, title, string.Empty, $"<h1>{Html.E(title)}</h1>\n<p class=\"error\">{Html.E(message)}</p>\n<p><a href=\"/\">All runs</a></p>\n");
}
