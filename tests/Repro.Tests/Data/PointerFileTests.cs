using Repro.Blobs.Data;

namespace Repro.Tests.Data;

public sealed class PointerFileTests
{
    private const string Sha = "5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313";

    [Fact]
    public void A_folder_pointer_is_written_in_the_stable_field_order_and_reads_back()
    {
        var pointer = new PointerFile { Sha256 = Sha, Size = 81920, Files = 20, Path = "images" };
        var yaml = pointer.ToYaml();
        var fields = yaml.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':')[0]);
        Assert.Equal(["sha256", "size", "files", "path"], fields);
        Assert.Equal(pointer, PointerFile.Parse(yaml, "images.repro"));
    }

    [Fact]
    public void A_file_pointer_has_no_files_field_and_odd_names_are_quoted()
    {
        var pointer = new PointerFile { Sha256 = Sha, Size = 4, Path = "my data: v2.csv" };
        var yaml = pointer.ToYaml();
        Assert.DoesNotContain("files:", yaml, StringComparison.Ordinal);
        Assert.Equal(pointer, PointerFile.Parse(yaml, "x.repro"));
    }

    [Theory]
    [InlineData("sha256: 123\nsize: 4\npath: a\n", "not 64 lower-case hex digits")]
    [InlineData("sha256: 5BE08C9684A1D25EFCEE09318204824278B08BBFB4AEF973FFEFD0B9D7478313\nsize: 4\npath: a\n", "not 64 lower-case hex digits")]
    [InlineData("size: 4\npath: a\n", "no sha256")]
    [InlineData("sha256: 5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313\nsize: -4\npath: a\n", "size must be")]
    [InlineData("sha256: 5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313\nsize: 4\n", "no path")]
    [InlineData("sha256: 5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313\nsize: 4\npath: a\nmd5: x\n", "unknown field 'md5'")]
    [InlineData("sha256: [unclosed\n", "malformed YAML")]
    [InlineData("- just\n- a list\n", "not a repro pointer file")]
    public void A_malformed_pointer_is_a_usage_error_naming_the_file(string yaml, string expected)
    {
        var error = Assert.Throws<ReproException>(() => PointerFile.Parse(yaml, "data/train.csv.repro"));
        Assert.Equal(ExitCode.Usage, error.Code);
        Assert.Contains("data/train.csv.repro", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
