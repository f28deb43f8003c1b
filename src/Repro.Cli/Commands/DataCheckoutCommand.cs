using System.CommandLine;
using Repro.Blobs.Data;

namespace Repro.Cli.Commands;

/// <summary><c>repro data checkout [PATH...] [--force]</c>: put tracked data back as its pointer files record it.</summary>
public sealed class DataCheckoutCommand : CliCommand<DataPathsSettings>
{
    public DataCheckoutCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Description = "Tracked paths or pointer files (default: all).", Arity = ArgumentArity.ZeroOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Overwrite modified files and remove untracked files in tracked folders." };
        var command = new Command("checkout", "Restore tracked data from the cache (reflink, else hard link made read-only, else copy).") { paths, force };
        command.SetAction((parse, cancellationToken) => new DataCheckoutCommand(context).RunAsync(
            new DataPathsSettings
            {
                Paths = parse.GetValue(paths) ?? [],
                Force = parse.GetValue(force),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(DataPathsSettings settings, CancellationToken cancellationToken)
    {
        var session = Context.OpenData();
        var tracker = new DataTracker(session.Workspace, session.Cache, session.StatCache(), Context.Time);
        var tracked = tracker.Select(settings.Paths, Context.WorkingDirectory);
        Render(Context.Out, await tracker.CheckoutAsync(tracked, settings.Force, cancellationToken));
        return 0;
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
