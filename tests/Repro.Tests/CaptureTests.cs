using Repro.Capture;
using Repro.Execution;
using Repro.Recording;

namespace Repro.Tests;

public sealed class CaptureTests
{
    [Fact]
    public void Git_is_only_asked_about_folders_with_a_git_marker_in_them_or_above()
    {
        using var dir = new TempDirectory();
        var plain = Directory.CreateDirectory(dir.Combine("plain", "sub")).FullName;
        var repository = Directory.CreateDirectory(dir.Combine("repo", ".git")).Parent!.FullName;
        var nested = Directory.CreateDirectory(Path.Combine(repository, "src", "deep")).FullName;
        var worktree = Directory.CreateDirectory(dir.Combine("worktree", "code")).FullName;
        File.WriteAllText(dir.Combine("worktree", ".git"), "gitdir: /elsewhere/.git/worktrees/w\n");

        if (Environment.GetEnvironmentVariable("GIT_DIR") is null && Environment.GetEnvironmentVariable("GIT_WORK_TREE") is null && !GitProbe.MayBeInRepository(dir.Path))
        {
            Assert.False(GitProbe.MayBeInRepository(plain));
        }

        Assert.True(GitProbe.MayBeInRepository(repository));
        Assert.True(GitProbe.MayBeInRepository(nested));
        Assert.True(GitProbe.MayBeInRepository(worktree));
    }

    [Fact]
    public void Credential_looking_variables_are_redacted_even_when_allowlisted_and_others_kept_by_name()
    {
        var (values, names) = EnvironmentVariablePolicy.Apply(new Dictionary<string, string>
        {
            ["OMP_NUM_THREADS"] = "4",
            ["CUDA_VISIBLE_DEVICES"] = "0,1",
            ["AWS_SECRET_ACCESS_KEY"] = "s3cr3t",
            ["GITHUB_TOKEN"] = "ghp_x",
            ["TF_API_TOKEN"] = "tok",
            ["DB_PASSWORD"] = "pw",
            ["MY_PASSWD"] = "pw",
            ["GOOGLE_APPLICATION_CREDENTIALS"] = "/k.json",
            ["HTTP_AUTH"] = "basic",
            ["HOME"] = "/root",
            ["PYTHONHASHSEED"] = "0",
        });

        Assert.Equal("4", values["OMP_NUM_THREADS"]);
        Assert.Equal("0,1", values["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("0", values["PYTHONHASHSEED"]);
        foreach (var secret in new[] { "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "TF_API_TOKEN", "DB_PASSWORD", "MY_PASSWD", "GOOGLE_APPLICATION_CREDENTIALS", "HTTP_AUTH" })
        {
            Assert.Equal(EnvironmentVariablePolicy.Redacted, values[secret]);
        }

        Assert.Equal(["HOME"], names);
        Assert.DoesNotContain(values.Values, v => v is "s3cr3t" or "ghp_x" or "tok" or "pw");
    }

    [Fact]
    public void Allowlisted_values_lose_passwords_inside_URLs()
    {
        var (values, _) = EnvironmentVariablePolicy.Apply(new Dictionary<string, string> { ["PYTHONPATH"] = "https://bob:hunter2@example.test/lib:/opt/x" });
        Assert.Equal("https://example.test/lib:/opt/x", values["PYTHONPATH"]);
    }

    [Theory]
    [InlineData("https://user:ghp_secret@example.test/org/repo.git", "https://example.test/org/repo.git")]
    [InlineData("https://token@example.test/org/repo.git", "https://example.test/org/repo.git")]
    [InlineData("ssh://git@example.test:22/org/repo.git", "ssh://example.test:22/org/repo.git")]
    [InlineData("git@example.test:org/repo.git", "git@example.test:org/repo.git")]
    [InlineData("https://example.test/org/repo.git", "https://example.test/org/repo.git")]
    [InlineData("/srv/git/repo.git", "/srv/git/repo.git")]
    public void Remote_URLs_lose_their_credentials(string url, string expected) =>
        Assert.Equal(expected, UrlRedactor.Redact(url));

    [Fact]
    public void Git_status_porcelain_v2_is_parsed_including_renames_and_untracked_files()
    {
        var output = string.Join('\0', [
            "# branch.oid 0123456789abcdef0123456789abcdef01234567",
            "# branch.head main",
            "1 .M N... 100644 100644 100644 aaaa aaaa train.py",
            "2 R. N... 100644 100644 100644 bbbb bbbb R100 new name.py",
            "old.py",
            "? data/new file.csv",
            string.Empty,
        ]);
        var (commit, branch, changes) = GitProbe.ParseStatus(output);
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", commit);
        Assert.Equal("main", branch);
        Assert.Equal(["train.py", "new name.py", "data/new file.csv"], changes.Select(c => c.Path));
        Assert.Equal(["M", "R", "??"], changes.Select(c => c.Status));
    }

    [Fact]
    public void A_repository_without_commits_has_no_commit()
    {
        var (commit, branch, _) = GitProbe.ParseStatus("# branch.oid (initial)\0# branch.head main\0");
        Assert.Null(commit);
        Assert.Equal("main", branch);
    }

    [Theory]
    [InlineData("python", true)]
    [InlineData("python3", true)]
    [InlineData("/usr/bin/python3.11", true)]
    [InlineData("pythonista", false)]
    [InlineData("bash", false)]
    public void Python_interpreters_are_recognised_by_name(string name, bool expected) =>
        Assert.Equal(expected, PythonProbe.IsPythonName(name));

    [Fact]
    public void Distributions_are_read_from_dist_info_and_egg_info_and_the_first_on_the_path_wins()
    {
        using var dir = new TempDirectory();
        dir.Write("site1/scikit_learn-1.2.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: scikit-learn\nVersion: 1.2.1\n\nlong description\nVersion: 9\n");
        dir.Write("site1/numpy-1.24.2.egg-info", "Metadata-Version: 1.2\nName: numpy\nVersion: 1.24.2\n");
        dir.Write("site2/numpy-2.0.0.dist-info/METADATA", "Name: numpy\nVersion: 2.0.0\n");
        dir.Write("site2/Foo.Bar_baz-0.1.egg-info/PKG-INFO", "Name: Foo.Bar_baz\nVersion: 0.1\n");
        var packages = PythonProbe.ScanDistributions([dir.Combine("site1"), dir.Combine("site2"), dir.Combine("missing")]);
        Assert.Equal("1.2.1", packages["scikit-learn"]);
        Assert.Equal("1.24.2", packages["numpy"]);
        Assert.Equal("0.1", packages["foo-bar-baz"]);
    }

    [Fact]
    public void The_CPU_probe_reads_a_model_and_only_float_relevant_flags()
    {
        var cpu = SystemProbe.ReadCpu();
        Assert.False(string.IsNullOrEmpty(cpu.Model));
        Assert.True(cpu.LogicalCores >= 1);
        Assert.All(cpu.Flags, f => Assert.Contains(f, SystemProbe.RelevantCpuFlags));
    }

    [Fact]
    public void Seed_placeholders_are_replaced_and_need_a_seed()
    {
        Assert.Equal(["train.py", "--seed", "7", "out-7.pkl"], DeterminismSettings.Substitute(["train.py", "--seed", "{seed}", "out-{seed}.pkl"], 7));
        var error = Assert.Throws<ReproException>(() => DeterminismSettings.Substitute(["x", "{seed}"], null));
        Assert.Equal(ExitCode.Usage, error.Code);
    }

    [Fact]
    public void The_determinism_profile_keeps_thread_counts_the_user_set()
    {
        var profile = DeterminismSettings.ProfileVariables(new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "8" });
        Assert.Equal("8", profile["OMP_NUM_THREADS"]);
        Assert.Equal("1", profile["MKL_NUM_THREADS"]);
        Assert.Equal(":4096:8", profile["CUBLAS_WORKSPACE_CONFIG"]);
        Assert.Equal("COMPATIBLE", profile["MKL_CBWR"]);
    }

    [Fact]
    public void Captured_output_keeps_head_and_tail_when_over_the_cap()
    {
        var capture = new BoundedCapture(1000);
        var data = Enumerable.Range(0, 5000).Select(i => (byte)('a' + (i % 26))).ToArray();
        capture.Write(data);
        var kept = capture.ToArray();
        Assert.True(capture.Truncated);
        Assert.Equal(5000, capture.TotalBytes);
        Assert.Equal(data[..500], kept[..500]);
        Assert.Equal(data[^500..], kept[^500..]);
        Assert.Contains("bytes omitted", System.Text.Encoding.UTF8.GetString(kept), StringComparison.Ordinal);

        var small = new BoundedCapture(1000);
        small.Write(data[..800]);
        Assert.False(small.Truncated);
        Assert.Equal(data[..800], small.ToArray());
    }
}
