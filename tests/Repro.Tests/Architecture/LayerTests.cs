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

    [Fact]
    public void The_core_references_no_database_driver_cloud_sdk_or_adapter_project()
    {
        var csproj = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Repro", "Repro.csproj"));
        var violations = AdapterRules.CoreReferenceViolations(csproj);
        Assert.True(violations.Count == 0, "the core references adapters' packages or projects:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_server_uses_the_store_ports_only_no_sql_adapter_and_no_sql_types()
    {
        var server = Path.Combine(RepoRoot(), "src", "Repro.Server");
        var files = Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(server, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("bin/", StringComparison.Ordinal) && !p.StartsWith("obj/", StringComparison.Ordinal))
            .Select(p => (p, File.ReadAllText(Path.Combine(server, p))));
        var violations = AdapterRules.ServerViolations(File.ReadAllText(Path.Combine(server, "Repro.Server.csproj")), files);
        Assert.True(violations.Count == 0, "the server reaches past the ports:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void A_database_or_aws_package_or_an_adapter_project_in_the_core_is_named()
    {
        var csproj = """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="YamlDotNet" />
                <PackageReference Include="Microsoft.Data.Sqlite" />
                <PackageReference Include="Npgsql" />
                <PackageReference Include="AWSSDK.S3" />
                <ProjectReference Include="../Repro.Storage.Sql/Repro.Storage.Sql.csproj" />
                <ProjectReference Include="../Repro.Remotes.S3/Repro.Remotes.S3.csproj" />
              </ItemGroup>
            </Project>
            """;
        Assert.Equal(
            [
                "Repro.csproj: PackageReference Microsoft.Data.Sqlite",
                "Repro.csproj: PackageReference Npgsql",
                "Repro.csproj: PackageReference AWSSDK.S3",
                "Repro.csproj: ProjectReference ../Repro.Storage.Sql/Repro.Storage.Sql.csproj",
                "Repro.csproj: ProjectReference ../Repro.Remotes.S3/Repro.Remotes.S3.csproj",
            ],
            AdapterRules.CoreReferenceViolations(csproj));
        Assert.Empty(AdapterRules.CoreReferenceViolations("""<PackageReference Include="YamlDotNet" /><ProjectReference Include="../Repro.Platform/Repro.Platform.csproj" />"""));
    }

    [Fact]
    public void A_server_reference_to_the_sql_adapter_or_a_use_of_sql_types_is_named_with_its_file()
    {
        var csproj = """<ProjectReference Include="../Repro/Repro.csproj" /><ProjectReference Include="../Repro.Storage.Sql/Repro.Storage.Sql.csproj" />""";
        var violations = AdapterRules.ServerViolations(
            csproj,
            [
                ("Ui/Audit.cs", "using System.Data.Common;\n\nnamespace Repro.Server.Ui;\n"),
                ("Ui/Search.cs", "namespace Repro.Server.Ui;\ninternal sealed class S(DbConnection c);\n"),
                ("Ui/Raw.cs", "namespace Repro.Server.Ui;\n// SqliteConnection in a comment is no use\ninternal sealed class R { object C = new Npgsql.NpgsqlConnection(); }\n"),
                ("Ui/Store.cs", "using Repro.Storage.Sql;\n"),
                ("Ui/Fine.cs", "using Repro.Ports;\n\nnamespace Repro.Server.Ui;\ninternal sealed class F(IStoreDatabase d);\n"),
            ]);
        Assert.Equal(
            [
                "Repro.Server.csproj: ProjectReference ../Repro.Storage.Sql/Repro.Storage.Sql.csproj",
                "Ui/Audit.cs:1: System.Data",
                "Ui/Search.cs:2: DbConnection",
                "Ui/Raw.cs:3: Npgsql",
                "Ui/Store.cs:1: Repro.Storage.Sql",
            ],
            violations);
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
