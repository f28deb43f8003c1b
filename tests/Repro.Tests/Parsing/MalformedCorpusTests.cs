using Repro.Blobs.Data;
using Repro.Capture.Metrics;
using Repro.Checks.Leakage;
using Repro.Checks.Lint;
using Repro.Judging.Comparison;
using Repro.Model.Serialization;
using Repro.Model.Verdicts;

namespace Repro.Tests.Parsing;

/// <summary>
/// Every file of the checked-in corpus (tests/Corpus/malformed) through the library parser that
/// reads it, in process: each must end in the parser's own clear error (or, for comparers and the
/// step log, a value naming the problem) — never another exception. A file still being read after
/// 10 s counts as a hang (the 2 s bound is measured as CPU time, which load does not inflate, by
/// Repro.Cli.Tests MalformedCorpusEndToEndTests, which also runs the command-line formats of the
/// same corpus with their peak memory); the array formats only verify reaches are covered here.
/// </summary>
public sealed class MalformedCorpusTests
{
    private static readonly string CorpusRoot = Path.Combine(AppContext.BaseDirectory, "Corpus", "malformed");

    public static TheoryData<string> Categories()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.EnumerateDirectories(CorpusRoot).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }

        return data;
    }

    [Fact]
    public void The_corpus_holds_at_least_200_malformed_files_across_every_parser()
    {
        var files = Directory.EnumerateFiles(CorpusRoot, "*", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count >= 200, $"{files.Count} files");
        Assert.Equal(
            ["bundle", "config", "dvc", "dvc-lock", "leak", "metrics-csv", "metrics-json", "metrics-tsv", "metrics-yaml", "notebook", "npy", "npz", "params-json", "params-yaml", "pointer", "safetensors", "steplog"],
            Directory.EnumerateDirectories(CorpusRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Categories))]
    public async Task Every_corpus_file_ends_in_its_parsers_clear_error(string category)
    {
        using var dir = new TempDirectory();
        var failures = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(CorpusRoot, category)).Order(StringComparer.Ordinal))
        {
            var check = Task.Run(() => CheckAsync(category, file, dir));
            if (await Task.WhenAny(check, Task.Delay(TimeSpan.FromSeconds(10))) != check)
            {
                failures.Add($"{Path.GetFileName(file)}: still running after 10 s (a hang)");
                continue;
            }

            if (await check is { } problem)
            {
                failures.Add($"{Path.GetFileName(file)}: {problem}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Null when the file ended as it must; else what happened instead.</summary>
    private static async Task<string?> CheckAsync(string category, string file, TempDirectory dir)
    {
        try
        {
            switch (category)
            {
                case "metrics-json" or "metrics-yaml" or "metrics-csv" or "metrics-tsv":
                    MetricsReader.ReadFile(file);
                    return "read without an error";
                case "params-json" or "params-yaml":
                    StructuredFile.Flatten(file);
                    return "read without an error";
                case "notebook":
                    NotebookReader.Read(Path.GetFileName(file), BoundedFile.ReadAllText(file, NotebookLimits.MaxBytes));
                    return "read without an error";
                case "pointer":
                    var pointer = PointerFile.Parse(BoundedFile.ReadAllText(file, PointerLimits.MaxBytes), Path.GetFileName(file));

                    // Parsed: then its path must be one the workspace check refuses.
                    return pointer.Path.StartsWith('/') || pointer.Path.Split('/').Contains("..") ? null : "read without an error";
                case "steplog":
                    var (_, warnings) = MetricsReader.ReadStepLog(file);
                    return warnings.Count > 0 ? null : "no warning";
                case "leak":
                    await using (var reader = new CsvRecordReader(File.OpenRead(file), (byte)',', Path.GetFileName(file)))
                    {
                        while (await reader.ReadAsync(CancellationToken.None))
                        {
                        }
                    }

                    // Well-formed records: repro leak refuses these for their content (no target, ragged rows).
                    return null;
                case "npy" or "safetensors" or "npz":
                    return Compared(await CompareWithValidAsync(file, dir));
                case "bundle" or "dvc" or "dvc-lock" or "config":
                    // Read through a workspace: the native binary runs these (MalformedCorpusEndToEndTests).
                    return null;
                default:
                    return $"no parser is named for category {category}";
            }
        }
        catch (Exception ex) when (Expected(category, ex))
        {
            return category is "metrics-json" or "metrics-yaml" or "metrics-csv" or "metrics-tsv" ? Compared(await CompareWithValidAsync(file, dir)) : null;
        }
        catch (Exception ex)
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }

    private static bool Expected(string category, Exception ex) => category switch
    {
        "metrics-json" or "metrics-yaml" or "metrics-csv" or "metrics-tsv" or "params-json" or "params-yaml" => ex is FormatException,
        "notebook" or "pointer" => ex is ReproException or BadInputException,
        "leak" => ex is ReproException or InputLimitException,
        _ => false,
    };

    /// <summary>The file compared as an output with a valid one of its format, both ways: a value, never an exception.</summary>
    private static async Task<ComparisonResult[]> CompareWithValidAsync(string file, TempDirectory dir)
    {
        var extension = Path.GetExtension(file).ToLowerInvariant();
        var valid = dir.Combine("valid" + extension);
        if (!File.Exists(valid))
        {
            await File.WriteAllBytesAsync(valid, extension switch
            {
                ".json" => ValidInputs.Json,
                ".yaml" => ValidInputs.Yaml,
                ".npy" => ValidInputs.Npy,
                ".safetensors" => ValidInputs.Safetensors,
                ".npz" => ValidInputs.Npz,
                _ => ValidInputs.Csv,
            });
        }

        return
        [
            await FileComparers.CompareAsync(file, file, valid, new ComparisonOptions(), CancellationToken.None),
            await FileComparers.CompareAsync(file, valid, file, new ComparisonOptions(), CancellationToken.None),
        ];
    }

    /// <summary>Null when both comparisons judged the malformed file as differing (or failed naming why).</summary>
    private static string? Compared(ComparisonResult[] results) =>
        results.All(r => r.Verdict is Verdict.Diverged or Verdict.Failed && r.Detail.Length > 0) ? null : $"compared as {string.Join(", ", results.Select(r => r.Verdict))}: {results[0].Detail}";
}
