using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Repro.Recording.Pipelines;

/// <summary>
/// Writes lock files as block YAML the way DVC's dumper lays them out: two-space indents,
/// sequences not indented under their key, no line folding, strings quoted only when a reader
/// would take them for another type.
/// </summary>
public sealed class LockYamlWriter
{
    private readonly System.Text.StringBuilder _text = new();
    private readonly Emitter _emitter;

    public LockYamlWriter()
    {
        // A StringWriter over a StringBuilder holds nothing to release.
#pragma warning disable CA2000
        _emitter = new Emitter(new StringWriter(_text, CultureInfo.InvariantCulture) { NewLine = "\n" }, new EmitterSettings(2, int.MaxValue, false, 1024, false, false, "\n"));
#pragma warning restore CA2000
        _emitter.Emit(new StreamStart());
        _emitter.Emit(new DocumentStart());
    }

    public LockYamlWriter BeginMap()
    {
        _emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true, MappingStyle.Block));
        return this;
    }

    public LockYamlWriter EndMap()
    {
        _emitter.Emit(new MappingEnd());
        return this;
    }

    public LockYamlWriter BeginList()
    {
        _emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true, SequenceStyle.Block));
        return this;
    }

    public LockYamlWriter EndList()
    {
        _emitter.Emit(new SequenceEnd());
        return this;
    }

    /// <summary>A string scalar (a key or a value).</summary>
    public LockYamlWriter String(string value)
    {
        var style = ParamValue.ResolvePlain(value).Kind != ParamValueKind.String || value.Trim() != value
            || value.ToLowerInvariant() is "y" or "n" or "yes" or "no" or "on" or "off"
            ? ScalarStyle.SingleQuoted
            : ScalarStyle.Plain;
        _emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, style, true, true));
        return this;
    }

    public LockYamlWriter Raw(string plain)
    {
        _emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, plain, ScalarStyle.Plain, true, false));
        return this;
    }

    public LockYamlWriter Number(long value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    public LockYamlWriter Bool(bool value) => Raw(value ? "true" : "false");

    public LockYamlWriter Entry(string key, string value) => String(key).String(value);

    public LockYamlWriter Entry(string key, long value) => String(key).Number(value);

    public LockYamlWriter Value(ParamValue value)
    {
        switch (value.Kind)
        {
            case ParamValueKind.Null:
                return Raw("null");
            case ParamValueKind.Bool:
                return Bool((bool)value.Value!);
            case ParamValueKind.Int:
                return Number((long)value.Value!);
            case ParamValueKind.Float:
                return Raw(ParamValue.FormatFloat((double)value.Value!));
            case ParamValueKind.String:
                return String((string)value.Value!);
            case ParamValueKind.List:
                BeginList();
                foreach (var item in value.Items)
                {
                    Value(item);
                }

                return EndList();
            default:
                BeginMap();
                foreach (var (key, item) in value.Entries)
                {
                    String(key).Value(item);
                }

                return EndMap();
        }
    }

    /// <summary>A loaded YAML document written back with the same layout rules (scalar styles as read).</summary>
    public static string Render(YamlDotNet.RepresentationModel.YamlStream stream)
    {
        var text = new System.Text.StringBuilder();
        using (var writer = new StringWriter(text, CultureInfo.InvariantCulture) { NewLine = "\n" })
        {
            stream.Save(new Emitter(writer, new EmitterSettings(2, int.MaxValue, false, 1024, false, false, "\n")), assignAnchors: false);
        }

        var result = text.ToString();
        if (result.EndsWith("...\n", StringComparison.Ordinal))
        {
            result = result[..^4];
        }

        return result.EndsWith('\n') ? result : result + "\n";
    }

    /// <summary>The document, ending with a newline.</summary>
    public string Finish()
    {
        _emitter.Emit(new DocumentEnd(true));
        _emitter.Emit(new StreamEnd());
        var text = _text.ToString();
        return text.EndsWith('\n') ? text : text + "\n";
    }
}
