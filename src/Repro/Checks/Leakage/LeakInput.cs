namespace Repro.Checks.Leakage;

/// <summary>Opens an input file for sequential reading; a missing or unreadable file is the user's to fix.</summary>
internal static class LeakInput
{
    public static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, Options = FileOptions.SequentialScan | FileOptions.Asynchronous, BufferSize = 0 });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw ReproException.Usage($"cannot read {path}: {ex.Message}");
        }
    }
}
