using System.Runtime;
using System.Runtime.CompilerServices;

namespace Repro.Cli;

/// <summary>
/// Multi-core JIT: the runtime records which methods a command compiles and, on the next start
/// of the same command, compiles them ahead on another core. Start-up is most of a short
/// command's cost; the profile lives in the user's cache folder and is safe to delete. The native
/// (ahead-of-time compiled) build has nothing to compile, so it keeps no profile.
/// </summary>
internal static class StartupProfile
{
    public static void Start(string[] args)
    {
        if (!RuntimeFeature.IsDynamicCodeCompiled)
        {
            return;
        }

        try
        {
            var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache
                ? cache
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            var folder = Path.Combine(root, "repro", "jit");
            Directory.CreateDirectory(folder);
            ProfileOptimization.SetProfileRoot(folder);
            var command = args.Length > 0 && args[0].All(char.IsAsciiLetterLower) ? args[0] : "other";
            ProfileOptimization.StartProfile($"{command}.profile");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No writable cache folder: start without the profile.
        }
    }
}
