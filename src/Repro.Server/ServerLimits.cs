using Repro.Model.Serialization;

namespace Repro.Server;

/// <summary>
/// What one request to <c>repro ui</c> may carry: its body (MLflow's own server caps requests
/// too), its query string, its headers and the nesting of a JSON body. Over a limit the request
/// is refused with 413, 414 or 431 and an MLflow error body naming the limit; the server goes on.
/// Each default can be raised with the environment variable its <see cref="InputLimit"/> names.
/// Documented in docs/limits.md.
/// </summary>
public static class ServerLimits
{
    /// <summary>Bytes in one request body (a log-batch of 1,000 metrics is about 100 KiB).</summary>
    public const long DefaultMaxBodyBytes = 1 << 20;

    /// <summary>Characters in one query string (the UI's filters and page tokens).</summary>
    public const long DefaultMaxQueryChars = 8 << 10;

    /// <summary>Bytes in all request headers together.</summary>
    public const long DefaultMaxHeaderBytes = 32 << 10;

    /// <summary>Nesting of a JSON body (MLflow's requests are at most four levels deep).</summary>
    public const long DefaultMaxJsonDepth = 32;

    public static InputLimit MaxBodyBytes => InputLimit.Of("HTTP_MAX_BODY_BYTES", DefaultMaxBodyBytes, "bytes");

    public static InputLimit MaxQueryChars => InputLimit.Of("HTTP_MAX_QUERY_CHARS", DefaultMaxQueryChars, "characters");

    public static InputLimit MaxHeaderBytes => InputLimit.Of("HTTP_MAX_HEADER_BYTES", DefaultMaxHeaderBytes, "bytes");

    public static InputLimit MaxJsonDepth => InputLimit.Of("HTTP_MAX_JSON_DEPTH", DefaultMaxJsonDepth, "levels of nesting");
}
