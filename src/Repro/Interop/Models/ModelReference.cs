using System.Globalization;

namespace Repro.Interop.Models;

/// <summary>What a user types for a model: <c>NAME</c> (its latest version), <c>NAME@ALIAS</c> or <c>NAME/VERSION</c>.</summary>
public sealed record ModelReference(string Name, string? Alias, long? Version)
{
    public static ModelReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var alias = text[(at + 1)..];
            return new ModelReference(ModelNames.RequireName(text[..at]), ModelNames.RequireAlias(alias), null);
        }

        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            var number = text[(slash + 1)..];
            if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
            {
                throw ReproException.Usage($"'{number}' is not a model version: versions are numbers 1, 2, ... (NAME/VERSION)");
            }

            return new ModelReference(ModelNames.RequireName(text[..slash]), null, version);
        }

        return new ModelReference(ModelNames.RequireName(text), null, null);
    }

    public override string ToString() =>
        Alias is not null ? $"{Name}@{Alias}" : Version is { } v ? string.Create(CultureInfo.InvariantCulture, $"{Name}/{v}") : Name;
}
