using System.Globalization;
using System.Text;

namespace Repro.Model.Serialization;

/// <summary>
/// Reads a file someone else wrote without trusting its size: the length is checked before a
/// byte is read, and reading stops one byte past the limit (a FIFO or /proc file reports no
/// length). Lines are read with their own cap, so a 10 GB file without a newline never becomes
/// one string.
/// </summary>
public static class BoundedFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The whole file as UTF-8 text (a BOM is dropped, invalid bytes become U+FFFD, as <see cref="File.ReadAllText(string)"/>).</summary>
    public static string ReadAllText(string path, InputLimit maxBytes, string? displayPath = null)
    {
        var bytes = ReadAllBytes(path, maxBytes, displayPath);
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        return Text(bytes.AsSpan(start), displayPath ?? path);
    }

    /// <summary>
    /// UTF-8 bytes as text, refused with <see cref="BadInputException"/> when they are not UTF-8 or
    /// hold a NUL byte: every text format repro reads (YAML, JSON, CSV, Python) excludes both, and
    /// reading on would only turn a binary file into a puzzling error further down.
    /// </summary>
    public static string Text(ReadOnlySpan<byte> bytes, string displayPath)
    {
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"{displayPath}: not a text file (a NUL byte at offset {nul})"));
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"{displayPath}: not UTF-8 text (an invalid byte at offset {ex.Index})"), ex);
        }
    }

    /// <summary>The whole file, refused with <see cref="InputLimitException"/> past <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAllBytes(string path, InputLimit maxBytes, string? displayPath = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 12, FileOptions.SequentialScan);
        return ReadAll(stream, maxBytes, displayPath ?? path);
    }

    /// <summary>The rest of <paramref name="stream"/>, refused past <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAll(Stream stream, InputLimit maxBytes, string displayPath)
    {
        if (stream.CanSeek && stream.Length - stream.Position > maxBytes.Value)
        {
            throw TooLarge(displayPath, stream.Length - stream.Position, maxBytes);
        }

        using var buffer = new MemoryStream(stream.CanSeek ? (int)Math.Min(stream.Length - stream.Position, maxBytes.Value) : 1 << 12);
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxBytes.Value)
            {
                throw TooLarge(displayPath, null, maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The lines of a small file read whole (its size checked first), as <see cref="File.ReadAllLines(string)"/>.</summary>
    public static string[] ReadAllLines(string path, InputLimit maxBytes, string? displayPath = null)
    {
        var text = ReadAllText(path, maxBytes, displayPath);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return text.Length == 0 ? [] : text.EndsWith('\n') || text.EndsWith('\r') ? lines[..^1] : lines;
    }

    /// <summary>The file's lines (UTF-8, any line ending), each refused past <paramref name="maxLineChars"/> characters.</summary>
    public static IEnumerable<string> ReadLines(string path, InputLimit maxLineChars, string? displayPath = null)
    {
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: false, new FileStreamOptions { Access = FileAccess.Read, Share = FileShare.ReadWrite, BufferSize = 1 << 16 });
        var number = 0;
        while (ReadLine(reader, maxLineChars, displayPath ?? path, ++number) is { } line)
        {
            yield return line;
        }
    }

    /// <summary>One line of <paramref name="reader"/> (null at the end), refused past <paramref name="maxLineChars"/> characters.</summary>
    public static string? ReadLine(TextReader reader, InputLimit maxLineChars, string displayPath, long lineNumber)
    {
        var line = new StringBuilder();
        while (true)
        {
            int c;
            try
            {
                c = reader.Read();
            }
            catch (DecoderFallbackException ex)
            {
                throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"{displayPath}: line {lineNumber} is not UTF-8 text"), ex);
            }

            if (c == 0)
            {
                throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"{displayPath}: line {lineNumber} holds a NUL byte: not a text file"));
            }

            if (c == '\uFEFF' && lineNumber == 1 && line.Length == 0)
            {
                continue;
            }

            if (c < 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }

            if (c == '\n')
            {
                return line.ToString();
            }

            if (c == '\r')
            {
                if (reader.Peek() == '\n')
                {
                    reader.Read();
                }

                return line.ToString();
            }

            if (line.Length >= maxLineChars.Value)
            {
                throw new InputLimitException(displayPath, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} is longer than {maxLineChars.Value} characters"), maxLineChars);
            }

            line.Append((char)c);
        }
    }

    private static InputLimitException TooLarge(string displayPath, long? length, InputLimit maxBytes) =>
        new(displayPath, length is { } known ? string.Create(CultureInfo.InvariantCulture, $"{known} bytes") : "it reports no size (a device or a pipe?) and goes on past it", maxBytes);
}
