namespace Repro.Cli.Tests;

public sealed class DocsReferenceTests
{
    [Fact]
    public void Every_command_and_flag_of_help_is_documented_on_its_page_and_every_documented_one_exists()
    {
        var problems = DocsReference.Problems(DocsReference.RepoRoot());
        Assert.True(problems.Count == 0, "docs/ and --help disagree:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Every_top_level_command_names_an_existing_reference_page_in_its_description()
    {
        var root = DocsReference.RepoRoot();
        foreach (var (path, command) in DocsReference.CommandTree().Where(c => c.Key.Count(ch => ch == ' ') == 1 && !c.Value.Hidden))
        {
            var page = DocsReference.ReferencePage(command);
            Assert.True(page is not null, $"{path}: no 'Reference: docs/….md' in its description");
            Assert.True(File.Exists(Path.Combine(root, page)), $"{path}: {page} does not exist");
        }
    }

    [Fact]
    public void A_made_up_flag_a_missing_flag_and_an_unknown_command_in_the_docs_are_reported()
    {
        var root = DocsReference.RepoRoot();
        var copy = Directory.CreateTempSubdirectory("repro-docs-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(copy, "docs"));
            foreach (var file in Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
            {
                File.Copy(file, Path.Combine(copy, "docs", Path.GetFileName(file)));
            }

            File.Copy(Path.Combine(root, "README.md"), Path.Combine(copy, "README.md"));
            Assert.Empty(DocsReference.Problems(copy));

            var verify = Path.Combine(copy, "docs", "verify.md");
            var text = File.ReadAllText(verify);
            text = text.Replace("| `--junit FILE` |", "| `--junit FILE` | x |\n| `--made-up-flag` |", StringComparison.Ordinal);
            text = text.Replace("| `--in-place` |", "| `--in-plaice` |", StringComparison.Ordinal);
            text += "\n## repro verify twice\n\nRun `repro diff A B --colour` to see.\n";
            File.WriteAllText(verify, text);

            var problems = DocsReference.Problems(copy);
            Assert.Contains(problems, p => p.Contains("repro verify has no flag --made-up-flag", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("repro verify --in-place is not in the option table", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'## repro verify twice' is not a command", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'repro diff --colour'", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
