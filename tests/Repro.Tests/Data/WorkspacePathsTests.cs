using Repro.Blobs.Data;
using Repro.Model.Workspaces;

namespace Repro.Tests.Data;

public sealed class WorkspacePathsTests
{
    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData(".")]
    [InlineData(".repro/repro.db")]
    [InlineData(".git/config")]
    public void Paths_outside_the_workspace_or_in_its_own_folders_are_refused(string input)
    {
        using var dir = new TempDirectory();
        var (workspace, _) = Workspace.Init(dir.Path);
        var error = Assert.Throws<ReproException>(() => WorkspacePaths.Resolve(workspace, dir.Path, input, "data add"));
        Assert.Equal(ExitCode.Usage, error.Code);
    }

    [Fact]
    public void A_symlink_leading_out_is_refused_and_one_staying_in_is_accepted()
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        var (workspace, _) = Workspace.Init(dir.Path);
        Directory.CreateDirectory(dir.Combine("real"));
        File.CreateSymbolicLink(dir.Combine("out"), outside.Path);
        File.CreateSymbolicLink(dir.Combine("in"), dir.Combine("real"));

        var error = Assert.Throws<ReproException>(() => WorkspacePaths.Resolve(workspace, dir.Path, "out/file.csv", "data add"));
        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Equal(dir.Combine("in", "file.csv"), WorkspacePaths.Resolve(workspace, dir.Path, "in/file.csv", "data add"));
        Assert.Equal(dir.Combine("real", "file.csv"), WorkspacePaths.RealPath(dir.Combine("in", "file.csv")));
    }
}
