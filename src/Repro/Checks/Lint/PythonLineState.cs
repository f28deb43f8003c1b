namespace Repro.Checks.Lint;

/// <summary>
/// How far a run of Python lines has come, read line by line: brackets still open, a string
/// (triple-quoted) still open, a backslash at the end. The next line then continues the same
/// statement. A light scan (strings, comments, brackets), not a tokenizer: enough to tell a
/// notebook's magic line from a continuation line that happens to start with <c>%</c> or <c>!</c>.
/// </summary>
internal sealed class PythonLineState
{
    private int _brackets;
    private string? _triple;
    private bool _backslash;

    /// <summary>Whether the next line continues the statement the lines so far started.</summary>
    public bool Continues => _brackets > 0 || _triple is not null || _backslash;

    public void Read(string line)
    {
        _backslash = false;
        var i = 0;
        while (i < line.Length)
        {
            if (_triple is not null)
            {
                var end = line.IndexOf(_triple, i, StringComparison.Ordinal);
                if (end < 0)
                {
                    return;
                }

                i = end + 3;
                _triple = null;
                continue;
            }

            var c = line[i];
            if (c == '#')
            {
                return;
            }

            if (c is '\'' or '"')
            {
                if (i + 2 < line.Length && line[i + 1] == c && line[i + 2] == c)
                {
                    _triple = new string(c, 3);
                    i += 3;
                    continue;
                }

                // A one-line string: to its closing quote, past escaped ones.
                i++;
                while (i < line.Length && line[i] != c)
                {
                    i += line[i] == '\\' ? 2 : 1;
                }

                i++;
                continue;
            }

            if (c is '(' or '[' or '{')
            {
                _brackets++;
            }
            else if (c is ')' or ']' or '}')
            {
                _brackets = Math.Max(0, _brackets - 1);
            }
            else if (c == '\\' && i == line.Length - 1)
            {
                _backslash = true;
            }

            i++;
        }
    }
}
