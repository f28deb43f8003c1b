using System.Text;
using Repro.Capture;

namespace Repro.Capture.Probe;

/// <summary>
/// Whether a command runs Python, so the probe is offered to it: python, python3, pythonX.Y (a
/// venv's too), Jupyter and papermill, IPython, and any <c>#!</c> script whose interpreter line
/// names Python. Costs at most one read of the first bytes of the executable.
/// </summary>
public static class PythonCommand
{
    private static readonly HashSet<string> PythonTools = new(StringComparer.Ordinal)
    {
        "jupyter", "jupyter-nbconvert", "jupyter-execute", "papermill", "ipython", "ipython3",
    };

    public static bool Is(string argv0, string? executable)
    {
        if (PythonProbe.IsPythonName(argv0) || PythonTools.Contains(Path.GetFileName(argv0)))
        {
            return true;
        }

        if (executable is null)
        {
            return false;
        }

        if (PythonProbe.IsPythonName(executable))
        {
            return true;
        }

        try
        {
            using var stream = File.OpenRead(executable);
            var head = new byte[256];
            var read = stream.Read(head, 0, head.Length);
            if (read < 2 || head[0] != '#' || head[1] != '!')
            {
                return false;
            }

            var line = Encoding.UTF8.GetString(head, 0, read).Split('\n')[0];
            return line.Contains("python", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
