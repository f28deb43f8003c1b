namespace Repro.Checks.Leakage;

/// <summary>Opens an input file for sequential reading; a missing or unreadable file is the user's to fix.</summary>
internal static class LeakInput
{
    /// <summary>Opens <paramref name="path"/> (relative to <paramref name="baseDirectory"/> when given); errors name it as given.</summary>
    public static FileStream Open(string path, string? baseDirectory = null)
    {
        try
        {
            return new FileStream(baseDirectory is null ? path : Path.GetFullPath(path, baseDirectory), new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, Options = FileOptions.SequentialScan | FileOptions.Asynchronous, BufferSize = 0 });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw ReproException.Usage($"cannot read {path}: {ex.Message}");
        }
    }
}
