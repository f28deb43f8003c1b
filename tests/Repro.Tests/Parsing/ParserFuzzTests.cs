using System.Text;
using System.Text.Json;
using CsCheck;
using Repro.Blobs.Data;
using Repro.Capture.Metrics;
using Repro.Checks.Leakage;
using Repro.Checks.Lint;
using Repro.Judging.Comparison;
using Repro.Model.Serialization;

namespace Repro.Tests.Parsing;

/// <summary>
/// Generated malformed inputs (<see cref="MalformedInput"/>) for each parser of outside input:
/// whatever the bytes, a parser either reads them or throws its own documented error, never
/// anything else (an IndexOutOfRange, an InvalidOperation, a stack overflow). CsCheck shrinks a
/// failing input to a small one and prints its seed.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Iterations = 400;

    [Fact]
    public void Json_parsing_either_succeeds_or_throws_a_json_or_limit_error()
    {
        MalformedInput.From(ValidInputs.Json).Sample(bytes =>
        {
            try
            {
                using var document = BoundedJson.Parse(bytes, "fuzz.json", lenient: true);
            }
            catch (Exception ex) when (ex is JsonException or InputLimitException)
            {
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Flattening_a_metrics_or_params_document_either_succeeds_or_throws_a_format_error()
    {
        Gen.OneOf(MalformedInput.From(ValidInputs.Json), MalformedInput.From(ValidInputs.Yaml)).Sample(bytes =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            foreach (var flatten in new Func<string, string, List<KeyValuePair<string, string>>>[] { StructuredFile.FlattenJson, StructuredFile.FlattenYaml })
            {
                try
                {
                    flatten(text, "fuzz");
                }
                catch (FormatException)
                {
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void A_metrics_csv_either_reads_or_throws_a_format_error()
    {
        using var dir = new TempDirectory();
        var index = 0;
        MalformedInput.From(ValidInputs.Csv).Sample(bytes =>
        {
            var path = dir.Combine($"m{Interlocked.Increment(ref index)}.csv");
            File.WriteAllBytes(path, bytes);
            try
            {
                CsvMetrics.Read(path);
            }
            catch (FormatException)
            {
            }
        }, iter: Iterations);
    }

    [Fact]
    public void The_leak_csv_reader_either_reads_every_record_or_throws_a_usage_or_limit_error()
    {
        MalformedInput.From(ValidInputs.Csv).Sample(bytes =>
        {
            using var reader = new CsvRecordReader(new MemoryStream(bytes), (byte)',', "fuzz.csv");
            try
            {
                while (reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        _ = reader.FieldText(i);
                    }
                }
            }
            catch (Exception ex) when (ex is ReproException or InputLimitException)
            {
            }
        }, iter: Iterations);
    }

    [Fact]
    public void A_notebook_either_reads_or_throws_a_usage_or_limit_error()
    {
        MalformedInput.From(ValidInputs.Notebook).Sample(bytes =>
        {
            try
            {
                NotebookReader.Read("fuzz.ipynb", Encoding.UTF8.GetString(bytes));
            }
            catch (Exception ex) when (ex is ReproException or InputLimitException)
            {
            }
        }, iter: Iterations);
    }

    [Fact]
    public void A_pointer_file_either_parses_or_throws_a_usage_error()
    {
        MalformedInput.From(ValidInputs.Pointer).Sample(bytes =>
        {
            try
            {
                PointerFile.Parse(Encoding.UTF8.GetString(bytes), "fuzz.repro");
            }
            catch (ReproException)
            {
            }
        }, iter: Iterations);
    }

    [Fact]
    public void A_pointer_file_that_left_the_yaml_scanner_in_a_bad_state_is_a_usage_error()
    {
        // The seed of a case the fuzzing found: YamlDotNet's scanner threw InvalidOperationException.
        MalformedInput.From(ValidInputs.Pointer).Sample(bytes =>
        {
            try
            {
                PointerFile.Parse(Encoding.UTF8.GetString(bytes), "fuzz.repro");
            }
            catch (ReproException)
            {
            }
        }, iter: 400, seed: "70unxGcAV381");
    }

    [Fact]
    public void The_step_log_never_throws_whatever_its_lines()
    {
        using var dir = new TempDirectory();
        var index = 0;
        MalformedInput.From(ValidInputs.StepLog).Sample(bytes =>
        {
            var path = dir.Combine($"s{Interlocked.Increment(ref index)}.jsonl");
            File.WriteAllBytes(path, bytes);
            MetricsReader.ReadStepLog(path);
        }, iter: Iterations);
    }

    [Fact]
    public void An_npy_header_either_reads_or_throws_a_format_error()
    {
        MalformedInput.From(ValidInputs.Npy).Sample(bytes =>
        {
            try
            {
                NpyHeader.ReadAsync(new MemoryStream(bytes), CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (FormatException)
            {
            }
        }, iter: Iterations);
    }

    [Theory]
    [InlineData(".npy")]
    [InlineData(".safetensors")]
    [InlineData(".npz")]
    [InlineData(".csv")]
    [InlineData(".json")]
    [InlineData(".yaml")]
    public void Comparing_a_malformed_output_with_a_valid_one_gives_a_verdict_never_an_exception(string extension)
    {
        using var dir = new TempDirectory();
        var seed = extension switch
        {
            ".npy" => ValidInputs.Npy,
            ".safetensors" => ValidInputs.Safetensors,
            ".npz" => ValidInputs.Npz,
            ".csv" => ValidInputs.Csv,
            ".json" => ValidInputs.Json,
            _ => ValidInputs.Yaml,
        };
        var valid = dir.Combine("valid" + extension);
        File.WriteAllBytes(valid, seed);
        var index = 0;
        MalformedInput.From(seed).Sample(bytes =>
        {
            var path = dir.Combine($"f{Interlocked.Increment(ref index)}{extension}");
            File.WriteAllBytes(path, bytes);
            var result = FileComparers.CompareAsync(path, valid, path, new ComparisonOptions(), CancellationToken.None).GetAwaiter().GetResult();
            Assert.False(string.IsNullOrEmpty(result.Comparer));
        }, iter: Iterations / 2);
    }
}
