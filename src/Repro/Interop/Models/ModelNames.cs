using System.Text.RegularExpressions;

namespace Repro.Interop.Models;

/// <summary>
/// Model names and aliases: letters, digits, '.', '_' and '-' (no '@' or '/', which separate
/// them in NAME@ALIAS and NAME/VERSION). Aliases follow MLflow: not "latest", not v1, v2, ...
/// </summary>
public static partial class ModelNames
{
    public static string RequireName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Name().IsMatch(name)
            ? name
            : throw ReproException.Usage($"'{name}' is not a valid model name: use letters, digits, '.', '_' and '-' (at most 200, starting with a letter or digit)");
    }

    public static string RequireAlias(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        if (!Alias().IsMatch(alias))
        {
            throw ReproException.Usage($"'{alias}' is not a valid alias: use letters, digits, '_' and '-' (at most 100), e.g. champion");
        }

        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase) || VersionLike().IsMatch(alias))
        {
            throw ReproException.Usage($"'{alias}' cannot be an alias: 'latest' and v1, v2, ... are reserved for versions");
        }

        return alias;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")]
    private static partial Regex Name();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex Alias();

    [GeneratedRegex("^[vV][0-9]+$")]
    private static partial Regex VersionLike();
}
