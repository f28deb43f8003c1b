using System.Globalization;

namespace Repro.Checks.Leakage;

/// <summary>
/// The field separator of a delimited file: given (<c>--sep</c>) or sniffed from its first lines
/// among comma, tab, semicolon and pipe — the one found the same number of times, outside
/// quotes, on every sampled line, and most often on the header.
/// </summary>
public static class CsvDialect
{
    private const int SampleBytes = 64 * 1024;
    private const int SampleLines = 20;
    private static readonly byte[] Candidates = [(byte)',', (byte)'\t', (byte)';', (byte)'|'];

    /// <summary>Parses a <c>--sep</c> value: one character, or <c>tab</c> / <c>\t</c>.</summary>
    public static byte Parse(string text)
    {
        if (text is "\\t" or "tab" or "TAB" or "\t")
        {
            return (byte)'\t';
        }

        if (text.Length != 1 || text[0] > 127 || text[0] is '"' or '\n' or '\r')
        {
            throw ReproException.Usage($"--sep '{text}': give one ASCII character (e.g. ',', ';', '|') or 'tab'");
        }

        return (byte)text[0];
    }

    public static string Describe(byte separator) => separator switch
    {
        (byte)'\t' => "tab",
        _ => ((char)separator).ToString(),
    };

    /// <summary>Sniffs the separator from the first lines of <paramref name="path"/>.</summary>
    public static async Task<byte> SniffAsync(string path, CancellationToken cancellationToken) => await SniffAsync(path, null, cancellationToken);

    /// <summary>Sniffs the separator of <paramref name="path"/>, relative to <paramref name="baseDirectory"/> when given.</summary>
    public static async Task<byte> SniffAsync(string path, string? baseDirectory, CancellationToken cancellationToken)
    {
        var buffer = new byte[SampleBytes];
        int length;
        await using (var stream = LeakInput.Open(path, baseDirectory))
        {
            length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        }

        return Sniff(buffer.AsSpan(0, length));
    }

    public static byte Sniff(ReadOnlySpan<byte> sample)
    {
        var counts = new List<int[]>();
        var current = new int[Candidates.Length];
        var quoted = false;
        var complete = false;
        for (var i = 0; i < sample.Length && counts.Count < SampleLines; i++)
        {
            var b = sample[i];
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (!quoted && (b == (byte)'\n' || b == (byte)'\r'))
            {
                if (current.Any(c => c > 0) || counts.Count == 0)
                {
                    counts.Add(current);
                }

                current = new int[Candidates.Length];
                complete = true;
            }
            else if (!quoted)
            {
                var k = Array.IndexOf(Candidates, b);
                if (k >= 0)
                {
                    current[k]++;
                }
            }
        }

        if (!complete || sample.Length < SampleBytes)
        {
            if (current.Any(c => c > 0))
            {
                counts.Add(current);
            }
        }

        if (counts.Count == 0)
        {
            return (byte)',';
        }

        var best = -1;
        var bestScore = (Consistent: false, Header: 0);
        for (var k = 0; k < Candidates.Length; k++)
        {
            var header = counts[0][k];
            if (header == 0)
            {
                continue;
            }

            var consistent = counts.All(line => line[k] == header);
            if (best < 0 || (consistent && !bestScore.Consistent) || (consistent == bestScore.Consistent && header > bestScore.Header))
            {
                best = k;
                bestScore = (consistent, header);
            }
        }

        return best < 0 ? (byte)',' : Candidates[best];
    }

    internal static string Quote(byte separator) => string.Create(CultureInfo.InvariantCulture, $"'{Describe(separator)}'");
}
