using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repro.Cli.Rendering;
using Repro.Interop.Models;
using Repro.Model.Serialization;
using Repro.Recording;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro model register|alias|list|show</c>: numbered versions of named models, each an output
/// of a recorded run with its lineage (run, code, data, environment, verifications).
/// </summary>
public static class ModelCommand
{
    public static Command Create(CliContext context) =>
        new("model", "Register run outputs as numbered model versions with their lineage; move aliases such as @champion. Reference: docs/tracking.md")
        {
            Register(context),
            Alias(context),
            List(context),
            Show(context),
        };

    private static async Task<ModelRegistry> OpenAsync(WorkspaceSession session, CliContext context, CancellationToken cancellationToken) =>
        await ModelRegistry.OpenAsync(await session.OpenDatabaseAsync(cancellationToken), session.Store, context.Time, cancellationToken);

    private static Command Register(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The model's name: letters, digits, '.', '_' and '-'." };
        var run = new Argument<string>("run") { Description = "A run id, a unique id prefix (4+ characters), a run name (its newest run) or @last." };
        var output = new Option<string>("--out") { Description = "The declared output of the run that is the model (as `repro run --out` recorded it).", Required = true };
        var alias = new Option<string[]>("--alias") { Description = "Point this alias at the new version (repeatable), e.g. champion.", AllowMultipleArgumentsPerToken = false };
        var allowFailed = new Option<bool>("--allow-failed") { Description = "Register an output of a run that failed." };
        var json = new Option<bool>("--json") { Description = "Print the registered version as JSON." };
        var command = new Command("register", "Make one declared output of a recorded run the next numbered version of model NAME.") { name, run, output, alias, allowFailed, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var id = await RunResolver.ResolveAsync(session.Store, parse.GetValue(run)!, cancellationToken);
            var registry = await OpenAsync(session, context, cancellationToken);
            var registered = await registry.RegisterAsync(parse.GetValue(name)!, id, RelativeOutput(session, parse.GetValue(output)!), parse.GetValue(alias) ?? [], parse.GetValue(allowFailed), cancellationToken);
            if (parse.GetValue(json))
            {
                WriteJson(context, registered);
                return 0;
            }

            var v = registered.Version;
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"registered {v.Name} version {v.Version}{Aliases(registered.Aliases)}: {v.Output.Path} (sha256 {Format.Short(v.Output.Sha256)}) from run {v.Run.Id[..8]}"));
            if (v.Code.Dirty)
            {
                Terminal.Warning(context.Error, $"run {v.Run.Id[..8]} had uncommitted changes: its diff (sha256 {Format.Short(v.Code.DiffSha256)}) is part of the lineage");
            }

            if (v.Verifications.Count == 0)
            {
                Terminal.Note(context.Error, $"run {v.Run.Id[..8]} has not been verified yet: `repro verify {v.Run.Id[..8]}` shows whether it reproduces");
            }

            return 0;
        });
        return command;
    }

    private static Command Alias(CliContext context)
    {
        var target = new Argument<string>("name@alias") { Description = "The model and the alias to move, e.g. fraud@champion." };
        var version = new Argument<long>("version") { Description = "The version the alias points at from now on." };
        var command = new Command("alias", "Point an alias (e.g. @champion) of a model at one of its versions.") { target, version };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var reference = ModelReference.Parse(parse.GetValue(target)!);
            if (reference.Alias is null)
            {
                throw ReproException.Usage($"give the alias as NAME@ALIAS, e.g. {reference.Name}@champion");
            }

            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var registry = await OpenAsync(session, context, cancellationToken);
            var to = parse.GetValue(version);
            var before = await registry.SetAliasAsync(reference.Name, reference.Alias, to, cancellationToken);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reference} -> version {to}{(before is { } b && b != to ? $" (was version {b})" : before is null ? " (new alias)" : " (unchanged)")}"));
            return 0;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array." };
        var command = new Command("list", "List registered models: versions, latest, aliases.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var registry = await OpenAsync(session, context, cancellationToken);
            var models = await registry.ListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                WriteJson(context, models);
                return 0;
            }

            if (models.Count == 0)
            {
                context.Out.WriteLine("no models registered yet: try `repro model register NAME RUN --out PATH`");
                return 0;
            }

            var table = new TableWriter("NAME", "VERSIONS", "LATEST", "ALIASES", "UPDATED");
            foreach (var model in models)
            {
                table.Add(
                    model.Name,
                    model.Versions.ToString(CultureInfo.InvariantCulture),
                    model.Latest.ToString(CultureInfo.InvariantCulture),
                    model.Aliases.Count == 0 ? "-" : string.Join(" ", model.Aliases.Select(a => string.Create(CultureInfo.InvariantCulture, $"@{a.Key}={a.Value}"))),
                    Format.Time(model.UpdatedAt));
            }

            table.Write(context.Out);
            return 0;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var reference = new Argument<string>("model") { Description = "NAME (its latest version), NAME@ALIAS or NAME/VERSION." };
        var json = new Option<bool>("--json") { Description = "Print the version and its lineage as JSON." };
        var command = new Command("show", "Show a model version's lineage: the run, code commit, data hashes, environment and verifications that produced it.") { reference, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var parsed = ModelReference.Parse(parse.GetValue(reference)!);
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var registry = await OpenAsync(session, context, cancellationToken);
            var registered = await registry.GetAsync(parsed, cancellationToken);

            // Verifications made after the registration belong to the answer as well.
            var current = await session.Store.ListVerificationsAsync(registered.Version.Run.Id, 0, cancellationToken);
            var known = registered.Version.Verifications.Select(v => v.Id).ToHashSet(StringComparer.Ordinal);
            var later = current.Where(v => !known.Contains(v.Report.Id)).OrderBy(v => v.Report.VerifiedAt).Select(v => new ModelVerification
            {
                Id = v.Report.Id,
                Verdict = v.Report.Verdict.ToString().ToUpperInvariant(),
                VerifiedAt = v.Report.VerifiedAt,
                Summary = v.Report.Summary,
                Digest = v.Digest,
            }).ToList();
            var runStillStored = await session.Store.GetAsync(registered.Version.Run.Id, cancellationToken);
            if (parse.GetValue(json))
            {
                WriteJson(context, new ModelVersionAnswer(registered.Version, registered.Digest, registered.Aliases, later, runStillStored?.Digest));
                return 0;
            }

            Render(context.Out, registered, later, runStillStored?.Digest);
            return 0;
        });
        return command;
    }

    private static void Render(TextWriter o, RegisteredModelVersion registered, List<ModelVerification> later, string? runDigestNow)
    {
        var v = registered.Version;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model {v.Name} version {v.Version}{Aliases(registered.Aliases)}, registered {Format.Time(v.RegisteredAt)}"));
        o.WriteLine($"  lineage sha256 {registered.Digest}");
        o.WriteLine();
        o.WriteLine("model file");
        o.WriteLine($"  {v.Output.Path}  {v.Output.Kind.ToString().ToLowerInvariant()}  {Format.Bytes(v.Output.Size)}  sha256 {v.Output.Sha256}");
        o.WriteLine();
        o.WriteLine("run");
        o.WriteLine($"  {v.Run.Id}  {v.Run.Name ?? "-"}  {v.Run.Status}  {Format.Time(v.Run.CreatedAt)}");
        var digestState = runDigestNow is null ? "the run is no longer in the store" : runDigestNow == v.Run.Digest ? "unchanged since registration" : $"CHANGED since registration (now {Format.Short(runDigestNow)})";
        o.WriteLine($"  manifest sha256 {v.Run.Digest} ({digestState})");
        o.WriteLine();
        o.WriteLine("code");
        if (v.Code.Kind == "git")
        {
            o.WriteLine($"  git commit {v.Code.Commit ?? "-"}{(v.Code.Branch is null ? string.Empty : $" on {v.Code.Branch}")}{(v.Code.Remote is null ? string.Empty : $" ({v.Code.Remote})")}");
            o.WriteLine(v.Code.Dirty ? $"  dirty: uncommitted changes recorded as a diff, sha256 {v.Code.DiffSha256 ?? "-"}" : "  clean: no uncommitted changes");
        }
        else
        {
            o.WriteLine($"  not in git: working tree listing sha256 {v.Code.TreeSha256 ?? "-"}");
        }

        o.WriteLine();
        o.WriteLine("data (the run's declared inputs)");
        if (v.Data.Count == 0)
        {
            o.WriteLine("  none declared");
        }

        foreach (var dep in v.Data)
        {
            o.WriteLine($"  {dep.Path}  {dep.Kind.ToString().ToLowerInvariant()}  {Format.Bytes(dep.Size)}  sha256 {dep.Sha256 ?? "(missing)"}");
        }

        o.WriteLine();
        o.WriteLine("environment");
        var e = v.Environment;
        o.WriteLine($"  python {e.Python ?? "-"}{(e.PythonImplementation is null ? string.Empty : $" ({e.PythonImplementation})")}, {e.PackageCount.ToString(CultureInfo.InvariantCulture)} packages; {e.Os ?? "-"} {e.Architecture ?? string.Empty} on {e.Hostname ?? "-"}{(e.Container is null ? string.Empty : $", in a container ({e.Container})")}");
        if (e.Packages.Count > 0)
        {
            o.WriteLine("  " + string.Join("  ", e.Packages.Select(p => $"{p.Key}=={p.Value}")));
        }

        if (v.Params.Count > 0 || v.Metrics.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("params and metrics");
            if (v.Params.Count > 0)
            {
                o.WriteLine("  " + string.Join("  ", v.Params.Select(p => $"{p.Key}={p.Value}")) + (v.Seed is { } seed ? string.Create(CultureInfo.InvariantCulture, $"  seed={seed}") : string.Empty));
            }

            if (v.Metrics.Count > 0)
            {
                o.WriteLine("  " + string.Join("  ", v.Metrics.Select(m => $"{m.Key}={Format.Number(m.Value)}")));
            }
        }

        o.WriteLine();
        o.WriteLine("verifications");
        if (v.Verifications.Count == 0 && later.Count == 0)
        {
            o.WriteLine($"  none: `repro verify {v.Run.Id[..8]}` re-runs it and says whether it reproduces");
        }

        foreach (var verification in v.Verifications)
        {
            o.WriteLine($"  {verification.Id[..Math.Min(8, verification.Id.Length)]}  {verification.Verdict}  {Format.Time(verification.VerifiedAt)}  {verification.Summary}");
        }

        foreach (var verification in later)
        {
            o.WriteLine($"  {verification.Id[..Math.Min(8, verification.Id.Length)]}  {verification.Verdict}  {Format.Time(verification.VerifiedAt)}  {verification.Summary}  (after registration)");
        }
    }

    private static string Aliases(IReadOnlyList<string> aliases) =>
        aliases.Count == 0 ? string.Empty : " (" + string.Join(", ", aliases.Select(a => "@" + a)) + ")";

    /// <summary>A path typed relative to the current folder, as the run recorded it (relative to the workspace root).</summary>
    private static string RelativeOutput(WorkspaceSession session, string path) =>
        Path.IsPathRooted(path) || Environment.CurrentDirectory != session.Workspace.Root
            ? session.Workspace.Relative(Path.GetFullPath(path))
            : path;

    private static void WriteJson<T>(CliContext context, T value) =>
        context.Out.WriteLine(JsonSerializer.Serialize(value, CanonicalJson.TypeInfo<T>(indented: true)));
}
