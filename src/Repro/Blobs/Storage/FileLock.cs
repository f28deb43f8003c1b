namespace Repro.Blobs.Storage;

/// <summary>
/// An exclusive lock between processes on one file (flock on Unix, a share-none handle on
/// Windows), waited for by polling. Disposing releases it; the file itself stays.
/// </summary>
public sealed class FileLock : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);
    private readonly FileStream _handle;

    private FileLock(FileStream handle) => _handle = handle;

    public static async Task<FileLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(Poll, cancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _handle.DisposeAsync();
}
