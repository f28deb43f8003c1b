using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Repro.Model.Serialization;

/// <summary>
/// Loads YAML only after one streaming pass has checked it against <see cref="YamlLimits"/>: its
/// length, its nesting, and the number of nodes it stands for once aliases are expanded (each
/// anchor's size is counted once, so the pass itself stays linear however the aliases nest).
/// </summary>
public static class BoundedYaml
{
    public static YamlStream Load(string text)
    {
        Check(text);
        var stream = new YamlStream();
        Malformed(() => stream.Load(new StringReader(text)));
        return stream;
    }

    /// <summary>
    /// Runs YamlDotNet's <paramref name="parse"/>: it reports some malformed streams (unterminated
    /// flow collections, an event out of place, a scanner left in a bad state) as ArgumentException
    /// or InvalidOperationException; they become a YamlException, which every reader turns into its
    /// own error.
    /// </summary>
    private static void Malformed(Action parse)
    {
        try
        {
            parse();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new YamlException($"malformed YAML: {ex.Message}", ex);
        }
    }

    /// <summary>Throws <see cref="YamlLimitException"/> (a <see cref="YamlException"/>) when <paramref name="text"/> is over a limit.</summary>
    public static void Check(string text)
    {
        if (text.Length > YamlLimits.MaxChars)
        {
            throw new YamlLimitException(string.Create(CultureInfo.InvariantCulture, $"{text.Length} characters, more than the {YamlLimits.MaxChars} a YAML file may hold"));
        }

        Malformed(() => CheckEvents(new Parser(new StringReader(text))));
    }

    private static void CheckEvents(Parser parser)
    {
        var anchors = new Dictionary<string, long>(StringComparer.Ordinal);
        var open = new Stack<(long Size, string? Anchor)>();
        long total = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case MappingStart or SequenceStart:
                    if (open.Count >= YamlLimits.MaxDepth)
                    {
                        throw new YamlLimitException(current.Start, current.End, string.Create(CultureInfo.InvariantCulture, $"nested deeper than {YamlLimits.MaxDepth} levels"));
                    }

                    var anchor = current is NodeEvent { Anchor.IsEmpty: false } node ? node.Anchor.Value : null;
                    open.Push((1, anchor));
                    break;
                case MappingEnd or SequenceEnd:
                    var (size, name) = open.Pop();
                    if (name is not null)
                    {
                        anchors[name] = size;
                    }

                    total = Add(open, total, size, current);
                    break;
                case Scalar scalar:
                    if (!scalar.Anchor.IsEmpty)
                    {
                        anchors[scalar.Anchor.Value] = 1;
                    }

                    total = Add(open, total, 1, current);
                    break;
                case AnchorAlias alias:
                    if (open.Any(o => o.Anchor == alias.Value.Value))
                    {
                        // The node would contain itself: every reader walking it would never end.
                        throw new YamlLimitException(current.Start, current.End, $"the alias *{alias.Value.Value} refers to a node that contains it (a cycle); repro reads only finite documents");
                    }

                    total = Add(open, total, anchors.GetValueOrDefault(alias.Value.Value, 1), current);
                    break;
            }
        }
    }

    private static long Add(Stack<(long Size, string? Anchor)> open, long total, long size, ParsingEvent at)
    {
        if (open.Count == 0)
        {
            total += size;
        }
        else
        {
            var (parent, anchor) = open.Pop();
            open.Push((parent + size, anchor));
            total = Math.Max(total, parent + size);
        }

        if (total > YamlLimits.MaxNodes || size > YamlLimits.MaxNodes)
        {
            throw new YamlLimitException(at.Start, at.End, string.Create(CultureInfo.InvariantCulture, $"its aliases expand to more than {YamlLimits.MaxNodes} nodes (an alias bomb?); repro reads at most that many"));
        }

        return total;
    }
}
