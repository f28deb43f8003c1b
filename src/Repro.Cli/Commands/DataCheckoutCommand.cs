using System.CommandLine;
using Repro.Blobs.Data;

namespace Repro.Cli.Commands;

/// <summary><c>repro data checkout [PATH...] [--force]</c>: put tracked data back as its pointer files record it.</summary>
public static class DataCheckoutCommand
{
    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Description = "Tracked paths or pointer files (default: all).", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite modified files and remove untracked files in tracked folders." };
        var command = new Command("checkout", "Restore tracked data from the cache (reflink, else hard link made read-only, else copy).") { paths, force };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var session = DataSession.Open();
            var tracker = new DataTracker(session.Workspace, session.Cache, session.StatCache(), context.Time);
            var tracked = tracker.Select(parse.GetValue(paths) ?? [], Environment.CurrentDirectory);
            Render(context.Out, await tracker.CheckoutAsync(tracked, parse.GetValue(force), cancellationToken));
            return 0;
        });
        return command;
    }

    public static void Render(TextWriter output, IReadOnlyList<CheckoutResult> results)
    {
        foreach (var result in results)
        {
            if (result.Unchanged)
            {
                output.WriteLine($"unchanged {result.Path}");
                continue;
            }

            var how = string.Join(", ", result.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Value} by {k.Key.ToString().ToLowerInvariant()}"));
            var removed = result.Removed > 0 ? $", {result.Removed} removed" : string.Empty;
            output.WriteLine($"restored {result.Path} ({result.Written} file{(result.Written == 1 ? string.Empty : "s")}{(how.Length > 0 ? ": " + how : string.Empty)}{removed})");
        }
    }
}
