using System.Text;

namespace Repro.Blobs.Storage.Search;

/// <summary>
/// Splits a filter into tokens the way MLflow's SQL tokenizer sees it: quoted strings with
/// doubled-quote and backslash-quote escapes, numbers with sign and exponent, dotted names.
/// </summary>
internal static class FilterLexer
{
    public static List<FilterToken> Tokenize(string text)
    {
        var tokens = new List<FilterToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            var afterDot = tokens.Count > 0 && tokens[^1].Kind == FilterTokenKind.Dot;
            var afterPart = tokens.Count > 0 && tokens[^1].Kind is FilterTokenKind.Word or FilterTokenKind.DoubleQuoted or FilterTokenKind.Backticked;
            if (c is '\'' or '"' or '`')
            {
                var value = ReadQuoted(text, ref i, c);
                var kind = c switch { '\'' => FilterTokenKind.String, '"' => FilterTokenKind.DoubleQuoted, _ => FilterTokenKind.Backticked };
                tokens.Add(new FilterToken(kind, text[start..i], value, start));
            }
            else if (IsWordChar(c) && (afterDot || !char.IsAsciiDigit(c)))
            {
                // After a dot a key part may start with a digit (metrics.2nd_loss).
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }

                tokens.Add(new FilterToken(FilterTokenKind.Word, text[start..i], text[start..i], start));
            }
            else if (char.IsAsciiDigit(c) || (!(afterPart && c == '.') && (c is '-' or '+' or '.') && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || (c != '.' && text[i + 1] == '.' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2])))))
            {
                ReadNumber(text, ref i);
                tokens.Add(new FilterToken(FilterTokenKind.Number, text[start..i], text[start..i], start));
            }
            else if (c == '.')
            {
                i++;
                tokens.Add(new FilterToken(FilterTokenKind.Dot, ".", ".", start));
            }
            else if (c == ',')
            {
                i++;
                tokens.Add(new FilterToken(FilterTokenKind.Comma, ",", ",", start));
            }
            else if (c == '(')
            {
                i++;
                tokens.Add(new FilterToken(FilterTokenKind.OpenParen, "(", "(", start));
            }
            else if (c == ')')
            {
                i++;
                tokens.Add(new FilterToken(FilterTokenKind.CloseParen, ")", ")", start));
            }
            else if (c is '=' or '!' or '<' or '>')
            {
                i++;
                if (i < text.Length && (text[i] == '=' || (c == '<' && text[i] == '>')))
                {
                    i++;
                }

                tokens.Add(new FilterToken(FilterTokenKind.Operator, text[start..i], text[start..i], start));
            }
            else
            {
                throw new SearchFilterException($"Invalid filter '{text}'. Could not be parsed: unexpected '{c}' at position {start + 1}.");
            }
        }

        tokens.Add(new FilterToken(FilterTokenKind.End, string.Empty, string.Empty, text.Length));
        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string ReadQuoted(string text, ref int i, char quote)
    {
        var value = new StringBuilder();
        var open = i;
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote)
            {
                if (quote != '`' && i + 1 < text.Length && text[i + 1] == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            if (c == '\\' && quote != '`' && i + 1 < text.Length && text[i + 1] == quote)
            {
                value.Append(quote);
                i += 2;
                continue;
            }

            value.Append(c);
            i++;
        }

        throw new SearchFilterException($"Invalid filter '{text}'. Could not be parsed: the quote opened at position {open + 1} is never closed.");
    }

    private static void ReadNumber(string text, ref int i)
    {
        if (text[i] is '-' or '+')
        {
            i++;
        }

        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i + 1 < text.Length && text[i] is 'e' or 'E' && (char.IsAsciiDigit(text[i + 1]) || (text[i + 1] is '-' or '+' && i + 2 < text.Length && char.IsAsciiDigit(text[i + 2]))))
        {
            i += 2;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }
    }
}
