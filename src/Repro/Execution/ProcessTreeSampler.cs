using System.Globalization;

namespace Repro.Execution;

/// <summary>
/// Samples the memory of a process and all its descendants from /proc. getrusage cannot be
/// used: a forked child inherits the parent's resident pages until exec, so its ru_maxrss
/// reports repro's own size.
/// </summary>
internal static class ProcessTreeSampler
{
    /// <summary>
    /// The larger of the tree's current total resident memory and the largest single-process
    /// high-water mark (VmHWM), which catches peaks between samples.
    /// </summary>
    public static long PeakBytes(int rootPid)
    {
        long total = 0;
        long highWater = 0;
        var pending = new Stack<int>();
        var seen = new HashSet<int>();
        pending.Push(rootPid);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            if (!seen.Add(pid))
            {
                continue;
            }

            var (rss, hwm) = Memory(pid);
            total += rss;
            highWater = Math.Max(highWater, hwm);
            foreach (var child in Children(pid))
            {
                pending.Push(child);
            }
        }

        return Math.Max(total, highWater);
    }

    private static (long Rss, long HighWater) Memory(int pid)
    {
        long rss = 0;
        long hwm = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Kilobytes(line["VmRSS:".Length..]);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = Kilobytes(line["VmHWM:".Length..]);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return (rss, hwm);
    }

    private static long Kilobytes(string text) =>
        long.Parse(text.Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;

    private static List<int> Children(int pid)
    {
        var result = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var text = File.ReadAllText(Path.Combine(task, "children"));
                foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var child))
                    {
                        result.Add(child);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return result;
    }
}
