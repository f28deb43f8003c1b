namespace Repro.Tests.Architecture;

/// <summary>The library's imports point down its layers, and no namespaces import each other (docs/architecture.md).</summary>
public sealed class LayerTests
{
    private static readonly Lazy<LayerMap> Library = new(() => LayerMap.Read(Path.Combine(RepoRoot(), "src", "Repro")));

    [Fact]
    public void Every_import_in_the_library_points_down_its_layers()
    {
        var upward = Library.Value.UpwardImports();
        Assert.True(upward.Count == 0, "imports that point up:\n" + string.Join('\n', upward));
    }

    [Fact]
    public void No_namespaces_of_the_library_import_each_other_round_a_cycle()
    {
        var cycles = Library.Value.Cycles();
        Assert.True(cycles.Count == 0, "cycles:\n" + string.Join('\n', cycles));
    }

    [Fact]
    public void Every_file_sits_in_the_folder_its_namespace_names_inside_a_named_layer()
    {
        Assert.True(Library.Value.Misplaced.Count == 0, string.Join('\n', Library.Value.Misplaced));
        Assert.Empty(Library.Value.OutsideLayers());
        Assert.Contains("Repro.Model", Library.Value.Files.Keys);
        Assert.Contains("Repro.Judging.Verification", Library.Value.Files.Keys);
    }

    [Fact]
    public void An_import_of_a_higher_layer_is_named_with_its_file()
    {
        var map = LayerMap.From(
        [
            ("Model/Run.cs", "namespace Repro.Model;\npublic sealed record Run;\n"),
            ("Judging/Verification/Verifier.cs", "using Repro.Model;\n\nnamespace Repro.Judging.Verification;\npublic sealed class Verifier;\n"),
            ("Blobs/Storage/Store.cs", "namespace Repro.Blobs.Storage;\npublic sealed class Store { public Repro.Judging.Verification.Verifier? V { get; init; } }\n"),
        ]);
        var upward = Assert.Single(map.UpwardImports());
        Assert.Equal("Blobs/Storage/Store.cs: Repro.Blobs.Storage imports Repro.Judging.Verification (Judging is above Blobs)", upward);
        Assert.Empty(map.Cycles());
    }

    [Fact]
    public void Two_namespaces_of_one_layer_importing_each_other_are_a_cycle()
    {
        var map = LayerMap.From(
        [
            ("Blobs/Data/Pointer.cs", "using Repro.Blobs.Remotes;\n\nnamespace Repro.Blobs.Data;\npublic sealed record Pointer;\n"),
            ("Blobs/Remotes/Key.cs", "namespace Repro.Blobs.Remotes;\npublic sealed record Key(Repro.Blobs.Data.Pointer P);\n"),
            ("Blobs/Hashing/Hasher.cs", "namespace Repro.Blobs.Hashing;\n// Repro.Blobs.Data.Pointer in a comment is no import\npublic static class Hasher;\n"),
        ]);
        Assert.Empty(map.UpwardImports());
        var cycle = Assert.Single(map.Cycles());
        Assert.Contains("Repro.Blobs.Data → Repro.Blobs.Remotes (Blobs/Data/Pointer.cs)", cycle, StringComparison.Ordinal);
        Assert.Contains("Repro.Blobs.Remotes → Repro.Blobs.Data (Blobs/Remotes/Key.cs)", cycle, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_outside_its_namespace_folder_or_outside_the_layers_is_named()
    {
        var map = LayerMap.From(
        [
            ("Model/Run.cs", "namespace Repro.Judging;\npublic sealed record Run;\n"),
            ("Gadgets/Thing.cs", "namespace Repro.Gadgets;\npublic sealed record Thing;\n"),
        ]);
        Assert.Equal(["Model/Run.cs declares Repro.Judging, its folder names Repro.Model"], map.Misplaced);
        Assert.Equal(["Repro.Gadgets"], map.OutsideLayers());
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Repro.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("no folder above the test binaries holds Repro.sln");
    }
}
