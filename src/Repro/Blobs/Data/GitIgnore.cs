using Repro.Blobs.Storage;
using Repro.Model.Serialization;

namespace Repro.Blobs.Data;

/// <summary>Adds <c>/NAME</c> to the <c>.gitignore</c> beside tracked data, so git keeps the pointer and not the bytes.</summary>
public static class GitIgnore
{
    public static async Task AddAsync(string dataPath, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(dataPath)!;
        var file = Path.Combine(folder, ".gitignore");
        var entry = "/" + Path.GetFileName(dataPath);
        var text = File.Exists(file) ? BoundedFile.ReadAllText(file, TextLimits.MaxFileBytes) : string.Empty;
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r'));
        if (lines.Contains(entry, StringComparer.Ordinal) || lines.Contains(entry + "/", StringComparer.Ordinal))
        {
            return;
        }

        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            text += "\n";
        }

        await AtomicFile.WriteAllTextAsync(file, text + entry + "\n", cancellationToken);
    }
}
