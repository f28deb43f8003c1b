using System.CommandLine;
using Repro.Blobs.Data;
using Repro.Cli.Rendering;

namespace Repro.Cli.Commands;

/// <summary><c>repro data add PATH...</c>: hash into the cache, write PATH.repro, ignore PATH in git.</summary>
public sealed class DataAddCommand : CliCommand<DataPathsSettings>
{
    public DataAddCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var paths = new Argument<string[]>("path") { Description = "Files or folders to track.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("add", "Hash files or folders into the cache and write a PATH.repro pointer file to commit.") { paths };
        command.SetAction((parse, cancellationToken) => new DataAddCommand(context).RunAsync(
            new DataPathsSettings
            {
                Paths = parse.GetValue(paths)!,
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(DataPathsSettings settings, CancellationToken cancellationToken)
    {
        var session = Context.OpenData();
        using var progress = HashProgressBar.ForTerminal(Context) as HashProgressBar;
        var tracker = new DataTracker(session.Workspace, session.Cache, session.StatCache(), Context.Time);
        var results = await tracker.AddAsync(settings.Paths, Context.WorkingDirectory, progress, cancellationToken);
        progress?.Dispose();
        foreach (var result in results)
        {
            var what = result.Pointer.Files is { } files ? $"{files} files, {Format.Bytes(result.Pointer.Size)}" : Format.Bytes(result.Pointer.Size);
            Context.Out.WriteLine(result.Changed
                ? $"added {result.Path} ({what}, sha256 {Format.Short(result.Pointer.Sha256)}) → {result.PointerPath}"
                : $"unchanged {result.Path} ({what}, sha256 {Format.Short(result.Pointer.Sha256)})");
        }

        if (results.Any(r => r.Changed))
        {
            Context.Out.WriteLine($"commit the pointer files: git add {string.Join(' ', results.Where(r => r.Changed).Select(r => r.PointerPath))} .gitignore");
        }

        return 0;
    }
}
