using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Repro.Judging.Comparison;
using Repro.Model.Verdicts;

namespace Repro.Tests.Comparison;

public sealed class ComparerTests
{
    private static readonly ComparisonOptions Defaults = new();

    private static Task<ComparisonResult> CompareAsync(TempDirectory dir, string name, string a, string b, ComparisonOptions? options = null)
    {
        var pathA = dir.Write("a/" + name, a);
        var pathB = dir.Write("b/" + name, b);
        return FileComparers.CompareAsync(name, pathA, pathB, options ?? Defaults, CancellationToken.None);
    }

    private static byte[] Npy(string descr, int[] shape, byte[] data, int version = 1)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : string.Empty)}), }}";
        var prefix = version == 1 ? 10 : 12;
        var total = prefix + dict.Length + 1;
        var padded = dict.PadRight(dict.Length + ((64 - (total % 64)) % 64)) + "\n";
        var header = new List<byte> { 0x93 };
        header.AddRange(Encoding.ASCII.GetBytes("NUMPY"));
        header.Add((byte)version);
        header.Add(0);
        if (version == 1)
        {
            header.AddRange(BitConverter.GetBytes((ushort)padded.Length));
        }
        else
        {
            header.AddRange(BitConverter.GetBytes((uint)padded.Length));
        }

        header.AddRange(Encoding.ASCII.GetBytes(padded));
        return [.. header, .. data];
    }

    private static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static async Task<ComparisonResult> CompareBytesAsync(TempDirectory dir, string name, byte[] a, byte[] b, ComparisonOptions? options = null)
    {
        var pathA = dir.Combine("a-" + name);
        var pathB = dir.Combine("b-" + name);
        await File.WriteAllBytesAsync(pathA, a);
        await File.WriteAllBytesAsync(pathB, b);
        return await FileComparers.CompareAsync(name, pathA, pathB, options ?? Defaults, CancellationToken.None);
    }

    [Fact]
    public async Task Unknown_and_pickle_files_are_compared_as_bytes_with_the_first_differing_offset()
    {
        using var dir = new TempDirectory();
        var result = await CompareBytesAsync(dir, "model.pkl", [1, 2, 3, 4], [1, 2, 9, 4]);
        Assert.Equal(Verdict.Diverged, result.Verdict);
        Assert.Equal("bytes", result.Comparer);
        Assert.Contains("offset 2", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_reports_the_first_differing_line_with_both_lines()
    {
        using var dir = new TempDirectory();
        var result = await CompareAsync(dir, "report.txt", "a\nb\nc\n", "a\nB\nc\n");
        Assert.Equal(Verdict.Diverged, result.Verdict);
        Assert.Contains("line 2: \"b\" → \"B\"", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JSON_numbers_within_tolerance_are_equivalent_and_paths_are_named()
    {
        using var dir = new TempDirectory();
        var result = await CompareAsync(dir, "m.json", """{"acc": 0.9, "per_class": [0.5, 0.25], "name": "rf"}""", """{"name":"rf","acc":0.9000000001,"per_class":[0.5,0.25]}""");
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.True(result.MaxAbsError is > 0 and < 1e-9);

        var diverged = await CompareAsync(dir, "n.json", """{"acc": 0.9, "per_class": [0.5, 0.25], "name": "rf"}""", """{"acc": 0.8, "per_class": [0.5, 0.3], "name": "xgb"}""");
        Assert.Equal(Verdict.Diverged, diverged.Verdict);
        Assert.Contains("$.acc", diverged.Detail, StringComparison.Ordinal);
        Assert.Contains("$.per_class[1]", diverged.Detail, StringComparison.Ordinal);
        Assert.Contains("$.name", diverged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reformatted_JSON_with_equal_values_is_equivalent()
    {
        using var dir = new TempDirectory();
        var result = await CompareAsync(dir, "m.json", """{"a": 1, "b": [1, 2]}""", "{\n  \"b\": [1, 2],\n  \"a\": 1.0\n}");
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Equal(0, result.MaxAbsError);
    }

    [Fact]
    public async Task Malformed_JSON_is_a_clear_divergence_not_a_crash()
    {
        using var dir = new TempDirectory();
        var result = await CompareAsync(dir, "m.json", """{"a": 1}""", """{"a": """);
        Assert.Equal(Verdict.Diverged, result.Verdict);
        Assert.Contains("reproduction is not valid JSON", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YAML_numbers_are_compared_with_tolerance()
    {
        using var dir = new TempDirectory();
        var result = await CompareAsync(dir, "m.yaml", "acc: 0.9\nloss: 0.1\n", "acc: 0.9000000001\nloss: 0.1\n");
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        var diverged = await CompareAsync(dir, "n.yaml", "acc: 0.9\n", "acc: 0.95\n");
        Assert.Equal(Verdict.Diverged, diverged.Verdict);
        Assert.Contains("$.acc", diverged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CSV_numeric_cells_use_tolerance_and_label_flips_report_agreement()
    {
        using var dir = new TempDirectory();
        var a = "id,proba,pred\n" + string.Join("", Enumerable.Range(0, 100).Select(i => $"{i},0.{i:D2},{(i < 50 ? 0 : 1)}\n"));
        var noisy = a.Replace("0.10,", "0.1000000001,", StringComparison.Ordinal);
        var equivalent = await CompareAsync(dir, "p.csv", a, noisy);
        Assert.Equal(Verdict.Equivalent, equivalent.Verdict);
        Assert.Equal(1.0, equivalent.AgreementRate);

        var flipped = a.Replace("10,0.10,0", "10,0.10,1", StringComparison.Ordinal).Replace("60,0.60,1", "60,0.60,0", StringComparison.Ordinal);
        var diverged = await CompareAsync(dir, "q.csv", a, flipped);
        Assert.Equal(Verdict.Diverged, diverged.Verdict);
        Assert.Equal(2, diverged.Flips);
        Assert.Equal(0.98, diverged.AgreementRate!.Value, 10);
        Assert.Contains("column pred: 2 of 100 labels flipped", diverged.Detail, StringComparison.Ordinal);

        var allowed = await CompareAsync(dir, "r.csv", a, flipped, new ComparisonOptions { MinAgreement = 0.95 });
        Assert.Equal(Verdict.Equivalent, allowed.Verdict);
    }

    [Fact]
    public async Task CSV_ragged_rows_header_changes_and_row_counts_are_clear_divergences()
    {
        using var dir = new TempDirectory();
        var ragged = await CompareAsync(dir, "a.csv", "x,y\n1,2\n3,4\n", "x,y\n1,2\n3,4,5\n");
        Assert.Equal(Verdict.Diverged, ragged.Verdict);
        Assert.Contains("ragged rows: row 2 of the reproduction has 3 fields", ragged.Detail, StringComparison.Ordinal);
        var header = await CompareAsync(dir, "b.csv", "x,y\n1,2\n", "x,z\n1,2\n");
        Assert.Contains("headers differ", header.Detail, StringComparison.Ordinal);
        var rows = await CompareAsync(dir, "c.csv", "x\n1\n2\n", "x\n1\n2\n3\n");
        Assert.Contains("row counts differ: 2 data rows → 3", rows.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Npy_float32_within_tolerance_is_equivalent_and_reports_max_error_and_ulps()
    {
        using var dir = new TempDirectory();
        var a = Npy("<f4", [4], Floats(1f, 2f, float.NaN, 4f));
        var b = Npy("<f4", [4], Floats(1f, BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(2f) + 3), float.NaN, 4f));
        var result = await CompareBytesAsync(dir, "x.npy", a, b);
        Assert.Equal(Verdict.Equivalent, result.Verdict);
        Assert.Equal(3, result.MaxUlp);
        Assert.Equal(4, result.Compared);
        Assert.Equal(0, result.OutOfTolerance);
        Assert.True(result.MaxAbsError > 0);
    }

    [Fact]
    public async Task Npy_out_of_tolerance_NaN_mismatch_shape_and_dtype_changes_diverge()
    {
        using var dir = new TempDirectory();
        var a = Npy("<f4", [2, 2], Floats(1f, 2f, 3f, 4f));
        var off = await CompareBytesAsync(dir, "a.npy", a, Npy("<f4", [2, 2], Floats(1f, 2.5f, float.NaN, 4f)));
        Assert.Equal(Verdict.Diverged, off.Verdict);
        Assert.Equal(2, off.OutOfTolerance);
        Assert.Contains("1 NaN mismatches", off.Detail, StringComparison.Ordinal);
        Assert.Contains("array[1]", off.Detail, StringComparison.Ordinal);

        var shape = await CompareBytesAsync(dir, "b.npy", a, Npy("<f4", [4], Floats(1f, 2f, 3f, 4f)));
        Assert.Contains("shape differs: (2, 2) → (4,)", shape.Detail, StringComparison.Ordinal);
        var dtype = await CompareBytesAsync(dir, "c.npy", a, Npy("<f8", [2, 2], new byte[32]));
        Assert.Contains("dtype differs: <f4 → <f8", dtype.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Large_float32_arrays_count_every_difference_the_same_as_element_by_element()
    {
        using var dir = new TempDirectory();
        var random = new Random(3);
        var a = Enumerable.Range(0, 100_003).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var b = (float[])a.Clone();
        for (var i = 0; i < b.Length; i += 7)
        {
            b[i] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(b[i]) + 1);
        }

        b[500] += 1f;
        b[70_001] = a[70_001] + 0.25f;
        b[99_999] = float.NaN;
        b[100_002] += 0.5f;
        var result = await CompareBytesAsync(dir, "big.npy", Npy("<f4", [a.Length], Floats(a)), Npy("<f4", [b.Length], Floats(b)));
        Assert.Equal(Verdict.Diverged, result.Verdict);
        Assert.Equal(a.Length, result.Compared);
        Assert.Equal(4, result.OutOfTolerance);
        Assert.Equal(1.0, result.MaxAbsError!.Value, 5);
        Assert.Contains("1 NaN mismatches", result.Detail, StringComparison.Ordinal);
        Assert.Contains("array[500]", result.Detail, StringComparison.Ordinal);
        Assert.True(result.MaxUlp >= 1);
    }

    [Fact]
    public async Task Corrupt_and_truncated_npy_files_get_a_clear_verdict()
    {
        using var dir = new TempDirectory();
        var a = Npy("<f8", [3], new byte[24]);
        var corrupt = await CompareBytesAsync(dir, "a.npy", a, [0x93, (byte)'N', (byte)'O', 1, 2]);
        Assert.Equal(Verdict.Diverged, corrupt.Verdict);
        Assert.Contains("not a valid NPY file", corrupt.Detail, StringComparison.Ordinal);
        var truncated = await CompareBytesAsync(dir, "b.npy", a, a[..^5]);
        Assert.Equal(Verdict.Diverged, truncated.Verdict);
        Assert.Contains("truncated", truncated.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Big_endian_and_integer_npy_arrays_are_read_correctly()
    {
        using var dir = new TempDirectory();
        var big = new byte[16];
        BinaryPrimitives.WriteDoubleBigEndian(big, 1.5);
        BinaryPrimitives.WriteDoubleBigEndian(big.AsSpan(8), -2.0);
        var big2 = (byte[])big.Clone();
        BinaryPrimitives.WriteDoubleBigEndian(big2.AsSpan(8), -2.5);
        var result = await CompareBytesAsync(dir, "a.npy", Npy(">f8", [2], big), Npy(">f8", [2], big2));
        Assert.Equal(0.5, result.MaxAbsError);

        var ints = await CompareBytesAsync(dir, "b.npy", Npy("<i8", [2], BitConverter.GetBytes(5L).Concat(BitConverter.GetBytes(7L)).ToArray()), Npy("<i8", [2], BitConverter.GetBytes(5L).Concat(BitConverter.GetBytes(8L)).ToArray()));
        Assert.Equal(Verdict.Diverged, ints.Verdict);
        Assert.Equal(1, ints.MaxAbsError);
    }

    [Fact]
    public async Task Object_arrays_are_never_unpickled()
    {
        using var dir = new TempDirectory();
        var result = await CompareBytesAsync(dir, "a.npy", Npy("|O", [1], [1, 2, 3]), Npy("|O", [1], [1, 2, 4]));
        Assert.Equal("bytes", result.Comparer);
        Assert.Contains("never unpickled", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Safetensors_are_compared_tensor_by_tensor_and_truncation_is_reported()
    {
        using var dir = new TempDirectory();
        static byte[] File(float[] w)
        {
            var header = Encoding.UTF8.GetBytes($"{{\"__metadata__\":{{\"format\":\"pt\"}},\"w\":{{\"dtype\":\"F32\",\"shape\":[{w.Length}],\"data_offsets\":[0,{w.Length * 4}]}}}}");
            return [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. Floats(w)];
        }

        var a = File([1f, 2f, 3f]);
        var near = await CompareBytesAsync(dir, "m.safetensors", a, File([1f, 2.0000001f, 3f]));
        Assert.Equal(Verdict.Equivalent, near.Verdict);
        var far = await CompareBytesAsync(dir, "n.safetensors", a, File([1f, 2f, 4f]));
        Assert.Equal(Verdict.Diverged, far.Verdict);
        Assert.Contains("w[2]", far.Detail, StringComparison.Ordinal);
        var truncated = await CompareBytesAsync(dir, "o.safetensors", a, a[..^6]);
        Assert.Equal(Verdict.Diverged, truncated.Verdict);
        Assert.Contains("not a valid safetensors file", truncated.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_numpy_npy_and_npz_files_are_understood()
    {
        const string python = "/usr/bin/python3";
        Assert.True(File.Exists(python), "Debian's python3 with NumPy is needed (scripts/test installs it)");
        using var dir = new TempDirectory();
        var script = """
            import numpy as np, sys
            out = sys.argv[1]
            rng = np.random.default_rng(0)
            a = rng.standard_normal((50, 3)).astype(np.float32)
            np.save(out + "/a32.npy", a)
            np.save(out + "/b32.npy", (a * np.float32(1 + 2e-7)).astype(np.float32))
            np.save(out + "/c32.npy", a * 1.1)
            np.save(out + "/a64be.npy", a.astype(">f8"))
            np.save(out + "/b64be.npy", (a + 1e-9).astype(">f8"))
            np.savez_compressed(out + "/a.npz", w=a, labels=np.arange(50, dtype=np.int64))
            np.savez(out + "/b.npz", w=a, labels=np.arange(50, dtype=np.int64))
            np.savez(out + "/c.npz", w=a, bias=np.zeros(3))
            """;
        var info = new ProcessStartInfo(python) { ArgumentList = { "-c", script, dir.Path }, RedirectStandardError = true };
        using (var process = Process.Start(info)!)
        {
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        }

        async Task<ComparisonResult> Compare(string x, string y) => await FileComparers.CompareAsync(x, dir.Combine(x), dir.Combine(y), Defaults, CancellationToken.None);

        var close = await Compare("a32.npy", "b32.npy");
        Assert.Equal(Verdict.Equivalent, close.Verdict);
        Assert.Equal(150, close.Compared);
        var far = await Compare("a32.npy", "c32.npy");
        Assert.Equal(Verdict.Diverged, far.Verdict);
        Assert.Contains("(50, 3)", far.Detail, StringComparison.Ordinal);
        Assert.Equal(Verdict.Equivalent, (await Compare("a64be.npy", "b64be.npy")).Verdict);
        var npz = await Compare("a.npz", "b.npz");
        Assert.Equal(Verdict.Equivalent, npz.Verdict);
        Assert.Contains("compression or metadata", npz.Detail, StringComparison.Ordinal);
        var members = await Compare("a.npz", "c.npz");
        Assert.Equal(Verdict.Diverged, members.Verdict);
        Assert.Contains("removed [labels.npy]", members.Detail, StringComparison.Ordinal);
    }
}
