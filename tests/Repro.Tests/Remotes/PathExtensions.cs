namespace Repro.Tests.Remotes;

internal static class PathExtensions
{
    /// <summary>Creates the file's folder and returns the path, for one-line test set-ups.</summary>
    public static string EnsureFolder(this string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return file;
    }
}
