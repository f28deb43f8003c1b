using System.Globalization;

namespace Repro.Model.Serialization;

/// <summary>
/// One named limit on what repro reads from outside: its default is a constant in the parser's
/// limits class, and the environment variable <see cref="Variable"/> (REPRO_LIMIT_…) raises or
/// lowers it for one command, so a user with a legitimately huge file is never stuck.
/// </summary>
public sealed record InputLimit(string Name, long Value, string Unit)
{
    /// <summary>The environment variable that overrides this limit.</summary>
    public string Variable => "REPRO_LIMIT_" + Name;

    /// <summary>The limit <paramref name="name"/> with its default, unless REPRO_LIMIT_<paramref name="name"/> holds a positive whole number.</summary>
    public static InputLimit Of(string name, long defaultValue, string unit)
    {
        var text = Environment.GetEnvironmentVariable("REPRO_LIMIT_" + name);
        var value = text is not null && long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : defaultValue;
        return new InputLimit(name, value, unit);
    }
}
