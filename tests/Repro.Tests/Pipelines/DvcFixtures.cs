namespace Repro.Tests.Pipelines;

/// <summary>Real files from iterative/example-get-started (see Fixtures/Dvc/README.md).</summary>
public static class DvcFixtures
{
    /// <summary>DVC 3 metadata (hash: md5), commit 06ea489.</summary>
    public static string Dvc3 { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dvc", "example-get-started-06ea489");

    /// <summary>DVC 2 metadata (md5-dos2unix) plus eval/prc and eval/live/metrics.json, commit a7e0c7d.</summary>
    public static string Dvc2 { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Dvc", "example-get-started-a7e0c7d");

    /// <summary>A copy of a fixture folder in a temp directory, to change freely.</summary>
    public static void CopyTo(string fixture, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
