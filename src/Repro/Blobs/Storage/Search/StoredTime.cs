using System.Globalization;

namespace Repro.Blobs.Storage.Search;

/// <summary>
/// <c>runs.created_at</c> as every store writes it: fixed-width UTC text to 100 ns, so text
/// order is time order and a bound in milliseconds can be compared as text (indexable).
/// </summary>
internal static class StoredTime
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
