using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Repro.Model.Serialization;

namespace Repro.Judging.Comparison;

/// <summary>
/// The header of a NumPy .npy file (format versions 1.0, 2.0, 3.0): magic, version, header
/// length, then a Python dict literal with descr, fortran_order and shape.
/// </summary>
public sealed partial record NpyHeader(string Descr, bool FortranOrder, IReadOnlyList<long> Shape, int DataOffset)
{
    public long Count => Shape.Aggregate(1L, (product, dimension) => product * dimension);

    public string ShapeText => "(" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + (Shape.Count == 1 ? ",)" : ")");

    /// <summary>Reads the header from the start of <paramref name="stream"/>, leaving it at the data.</summary>
    public static async Task<NpyHeader> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var prefix = new byte[8];
        if (await stream.ReadAtLeastAsync(prefix, 8, throwOnEndOfStream: false, cancellationToken) < 8
            || prefix[0] != 0x93 || Encoding.ASCII.GetString(prefix, 1, 5) != "NUMPY")
        {
            throw new FormatException("not an NPY file (the magic string \\x93NUMPY is missing)");
        }

        var major = prefix[6];
        int length;
        int offset;
        if (major == 1)
        {
            var len = new byte[2];
            if (await stream.ReadAtLeastAsync(len, 2, throwOnEndOfStream: false, cancellationToken) < 2)
            {
                throw new FormatException("truncated NPY header");
            }

            length = BinaryPrimitives.ReadUInt16LittleEndian(len);
            offset = 10 + length;
        }
        else if (major is 2 or 3)
        {
            var len = new byte[4];
            if (await stream.ReadAtLeastAsync(len, 4, throwOnEndOfStream: false, cancellationToken) < 4)
            {
                throw new FormatException("truncated NPY header");
            }

            var declared = BinaryPrimitives.ReadUInt32LittleEndian(len);
            var maxHeader = ArrayHeaderLimits.MaxNpyHeaderBytes;
            if (declared > maxHeader.Value)
            {
                throw new InputLimitException("NPY header", string.Create(CultureInfo.InvariantCulture, $"{declared} bytes declared"), maxHeader);
            }

            length = (int)declared;
            offset = 12 + length;
        }
        else
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"unsupported NPY format version {major}.{prefix[7]}"));
        }

        var header = new byte[length];
        if (await stream.ReadAtLeastAsync(header, length, throwOnEndOfStream: false, cancellationToken) < length)
        {
            throw new FormatException("truncated NPY header");
        }

        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(header);
        var descr = DescrPattern().Match(text);
        var fortran = Fortran().Match(text);
        var shape = ShapePattern().Match(text);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new FormatException($"malformed NPY header dict: {text.Trim()}");
        }

        var dimensions = new List<long>();
        var maxDimensions = ArrayHeaderLimits.MaxDimensions;
        long count = 1;
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (dimensions.Count >= maxDimensions.Value)
            {
                throw new InputLimitException("NPY shape", string.Create(CultureInfo.InvariantCulture, $"more than {maxDimensions.Value} dimensions"), maxDimensions);
            }

            var trimmed = part.TrimEnd('L');
            if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var dimension))
            {
                throw new FormatException($"malformed NPY shape: ({shape.Groups[1].Value})");
            }

            dimensions.Add(dimension);
            if (dimension != 0 && count > long.MaxValue / dimension)
            {
                throw new FormatException($"NPY shape ({shape.Groups[1].Value}) has more elements than a file can hold");
            }

            count *= dimension;
        }

        return new NpyHeader(descr.Groups[1].Value, fortran.Groups[1].Value == "True", dimensions, offset);
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]+)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex Fortran();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
