using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Repro.Server;

/// <summary>
/// Checks the token on every request, in constant time. API clients send
/// <c>Authorization: Bearer TOKEN</c>; a browser opens <c>/?token=TOKEN</c> once and then carries
/// it in an HTTP-only cookie. Requests without it get 401 and an MLflow-shaped error body.
/// </summary>
public static class TokenGuard
{
    public const string CookieName = "repro_token";

    /// <summary>A fresh random token: 32 bytes as hex.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether a host name is a loopback address (127.0.0.0/8, ::1, localhost).</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    public static bool Matches(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    public static async Task InvokeAsync(HttpContext context, string token, RequestDelegate next)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (Matches(token, bearer) || Matches(token, context.Request.Cookies[CookieName]))
        {
            await next(context);
            return;
        }

        if (Matches(token, context.Request.Query["token"].ToString()))
        {
            context.Response.Cookies.Append(CookieName, token, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsJsonAsync(new ErrorBody("UNAUTHENTICATED", "a valid token is required: send 'Authorization: Bearer TOKEN' or open /?token=TOKEN"), ServerJson.Default.ErrorBody);
    }
}
