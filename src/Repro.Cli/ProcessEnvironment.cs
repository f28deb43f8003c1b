namespace Repro.Cli;

/// <summary>The process's environment variables as a dictionary, read once at start-up for the context.</summary>
internal static class ProcessEnvironment
{
    public static Dictionary<string, string> Variables()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return result;
    }
}
