namespace Repro.Recording;

/// <summary>Parses KEY=VALUE arguments (params, tags).</summary>
public static class KeyValueArguments
{
    public static SortedDictionary<string, string> Parse(IEnumerable<string> pairs, string option)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || pair[..equals].Trim().Length == 0)
            {
                throw ReproException.Usage($"{option} expects KEY=VALUE, got '{pair}'");
            }

            result[pair[..equals].Trim()] = pair[(equals + 1)..];
        }

        return result;
    }
}
