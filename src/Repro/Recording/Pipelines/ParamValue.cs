using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Recording.Pipelines;

/// <summary>
/// A parameter's value with its type, compared as DVC compares them (Python equality: 0.20 equals
/// 0.2, 1 equals 1.0, maps ignore key order), so re-formatting params.yaml changes nothing.
/// Plain YAML scalars are resolved with the YAML 1.2 core rules DVC's parser uses.
/// </summary>
public sealed partial class ParamValue : IEquatable<ParamValue>
{
    private ParamValue(ParamValueKind kind, object? value)
    {
        Kind = kind;
        Value = value;
    }

    public ParamValueKind Kind { get; }

    /// <summary>bool, long, double, string, IReadOnlyList&lt;ParamValue&gt; or IReadOnlyList&lt;KeyValuePair&lt;string, ParamValue&gt;&gt;.</summary>
    public object? Value { get; }

    public static ParamValue Null { get; } = new(ParamValueKind.Null, null);

    public static ParamValue Of(bool value) => new(ParamValueKind.Bool, value);

    public static ParamValue Of(long value) => new(ParamValueKind.Int, value);

    public static ParamValue Of(double value) => new(ParamValueKind.Float, value);

    public static ParamValue Of(string value) => new(ParamValueKind.String, value);

    public static ParamValue List(IReadOnlyList<ParamValue> items) => new(ParamValueKind.List, items);

    public static ParamValue Map(IReadOnlyList<KeyValuePair<string, ParamValue>> entries) => new(ParamValueKind.Map, entries);

    public IReadOnlyList<ParamValue> Items => Value as IReadOnlyList<ParamValue> ?? [];

    public IReadOnlyList<KeyValuePair<string, ParamValue>> Entries => Value as IReadOnlyList<KeyValuePair<string, ParamValue>> ?? [];

    public static ParamValue FromYaml(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Map(mapping.Children.Select(c => new KeyValuePair<string, ParamValue>(((c.Key as YamlScalarNode)?.Value) ?? c.Key.ToString(), FromYaml(c.Value))).ToList()),
        YamlSequenceNode sequence => List(sequence.Children.Select(FromYaml).ToList()),
        YamlScalarNode scalar => scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? ResolvePlain(scalar.Value ?? string.Empty) : Of(scalar.Value ?? string.Empty),
        _ => Null,
    };

    public static ParamValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Map(element.EnumerateObject().Select(p => new KeyValuePair<string, ParamValue>(p.Name, FromJson(p.Value))).ToList()),
        JsonValueKind.Array => List(element.EnumerateArray().Select(FromJson).ToList()),
        JsonValueKind.String => Of(element.GetString()!),
        JsonValueKind.Number => element.TryGetInt64(out var l) ? Of(l) : Of(element.GetDouble()),
        JsonValueKind.True => Of(true),
        JsonValueKind.False => Of(false),
        _ => Null,
    };

    /// <summary>A plain (unquoted) YAML scalar's value under the YAML 1.2 core schema.</summary>
    public static ParamValue ResolvePlain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return Null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return Of(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return Of(false);
        }

        if (IntPattern().IsMatch(text))
        {
            var clean = text.Replace("_", string.Empty, StringComparison.Ordinal);
            if (clean.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(clean[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            {
                return Of(hex);
            }

            if (clean.StartsWith("0o", StringComparison.Ordinal))
            {
                try
                {
                    return Of(Convert.ToInt64(clean[2..], 8));
                }
                catch (FormatException)
                {
                }
                catch (OverflowException)
                {
                }
            }

            if (long.TryParse(clean, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return Of(integer);
            }

            if (double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var big))
            {
                return Of(big);
            }
        }

        if (FloatPattern().IsMatch(text))
        {
            var lower = text.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            return lower switch
            {
                ".inf" or "+.inf" => Of(double.PositiveInfinity),
                "-.inf" => Of(double.NegativeInfinity),
                ".nan" => Of(double.NaN),
                _ => Of(double.Parse(lower, NumberStyles.Float, CultureInfo.InvariantCulture)),
            };
        }

        return Of(text);
    }

    /// <summary>The value under a dotted key path ("train.lr", list items by index), or null when absent.</summary>
    public ParamValue? Lookup(string keyPath)
    {
        var current = this;
        foreach (var part in keyPath.Split('.'))
        {
            if (current.Kind == ParamValueKind.Map)
            {
                var found = current.Entries.Where(e => string.Equals(e.Key, part, StringComparison.Ordinal)).Select(e => e.Value).FirstOrDefault();
                if (found is null)
                {
                    return null;
                }

                current = found;
            }
            else if (current.Kind == ParamValueKind.List && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.Items.Count)
            {
                current = current.Items[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>A short readable form (flow style) for messages and run params.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Write(builder, this, top: true);
        return builder.ToString();
    }

    /// <summary>Python's repr of a float, as DVC's YAML dumper writes it (1e-05 → 1.0e-05, 3 → 3.0).</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return ".nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? ".inf" : "-.inf";
        }

        // Shortest round-trip digits, then laid out the way Python's repr does:
        // positional for 1e-4 <= |x| < 1e16, scientific otherwise.
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest.StartsWith('-');
        var body = negative ? shortest[1..] : shortest;
        var e = body.IndexOfAny(['E', 'e']);
        var mantissa = e >= 0 ? body[..e] : body;
        var shift = e >= 0 ? int.Parse(body[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var intPart = point >= 0 ? mantissa[..point] : mantissa;
        var all = intPart + (point >= 0 ? mantissa[(point + 1)..] : string.Empty);
        var digits = all.TrimStart('0');
        if (digits.TrimEnd('0').Length == 0)
        {
            return negative ? "-0.0" : "0.0";
        }

        // The first significant digit stands for 10^exponent.
        var exponent = intPart.Length - 1 - (all.Length - digits.Length) + shift;
        digits = digits.TrimEnd('0');
        string text;
        if (exponent is >= -4 and < 16)
        {
            text = exponent >= 0
                ? $"{digits.PadRight(exponent + 1, '0')[..(exponent + 1)]}.{(digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0")}"
                : $"0.{new string('0', -exponent - 1)}{digits}";
        }
        else
        {
            text = Scientific(digits, exponent);
        }

        return negative ? "-" + text : text;
    }

    public bool Equals(ParamValue? other)
    {
        if (other is null)
        {
            return false;
        }

        if (IsNumber(this) && IsNumber(other))
        {
            if (Kind == ParamValueKind.Int && other.Kind == ParamValueKind.Int)
            {
                return (long)Value! == (long)other.Value!;
            }

            return ToDouble(this) == ToDouble(other);
        }

        if (Kind != other.Kind)
        {
            return false;
        }

        return Kind switch
        {
            ParamValueKind.Null => true,
            ParamValueKind.String => string.Equals((string)Value!, (string)other.Value!, StringComparison.Ordinal),
            ParamValueKind.List => Items.Count == other.Items.Count && Items.Zip(other.Items).All(p => p.First.Equals(p.Second)),
            ParamValueKind.Map => Entries.Count == other.Entries.Count
                && Entries.All(e => other.Entries.Any(o => string.Equals(o.Key, e.Key, StringComparison.Ordinal) && o.Value.Equals(e.Value))),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is ParamValue other && Equals(other);

    public override int GetHashCode() => Kind switch
    {
        ParamValueKind.Int or ParamValueKind.Float or ParamValueKind.Bool => ToDouble(this).GetHashCode(),
        ParamValueKind.String => StringComparer.Ordinal.GetHashCode((string)Value!),
        _ => (int)Kind,
    };

    /// <summary>Python counts bool as a number too (True == 1).</summary>
    private static bool IsNumber(ParamValue value) => value.Kind is ParamValueKind.Int or ParamValueKind.Float or ParamValueKind.Bool;

    private static double ToDouble(ParamValue value) => value.Value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => double.NaN,
    };

    private static string Scientific(string digits, int exponent)
    {
        var mantissa = digits.Length == 1 ? $"{digits}.0" : $"{digits[0]}.{digits[1..]}";
        var sign = exponent < 0 ? "-" : "+";
        return $"{mantissa}e{sign}{Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture)}";
    }

    private static void Write(StringBuilder builder, ParamValue value, bool top)
    {
        switch (value.Kind)
        {
            case ParamValueKind.Null:
                builder.Append("null");
                break;
            case ParamValueKind.Bool:
                builder.Append((bool)value.Value! ? "true" : "false");
                break;
            case ParamValueKind.Int:
                builder.Append(((long)value.Value!).ToString(CultureInfo.InvariantCulture));
                break;
            case ParamValueKind.Float:
                builder.Append(FormatFloat((double)value.Value!));
                break;
            case ParamValueKind.String:
                builder.Append(top ? (string)value.Value! : $"'{value.Value}'");
                break;
            case ParamValueKind.List:
                builder.Append('[');
                for (var i = 0; i < value.Items.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ");
                    Write(builder, value.Items[i], top: false);
                }

                builder.Append(']');
                break;
            case ParamValueKind.Map:
                builder.Append('{');
                for (var i = 0; i < value.Entries.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ", ").Append(value.Entries[i].Key).Append(": ");
                    Write(builder, value.Entries[i].Value, top: false);
                }

                builder.Append('}');
                break;
        }
    }

    [GeneratedRegex("^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|\.[0-9_]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();
}
