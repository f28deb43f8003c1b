using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repro.Cli.Rendering;
using Repro.Interop.Models;
using Repro.Model.Serialization;

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
            ModelRegisterCommand.Create(context),
            ModelAliasCommand.Create(context),
            ModelListCommand.Create(context),
            ModelShowCommand.Create(context),
        };

    internal static async Task<IModelRegistry> OpenAsync(WorkspaceSession session, CliContext context, CancellationToken cancellationToken) =>
        await (await session.OpenDatabaseAsync(cancellationToken)).OpenModelRegistryAsync(session.Store, context.Time, cancellationToken);

    internal static void Render(TextWriter o, RegisteredModelVersion registered, List<ModelVerification> later, string? runDigestNow)
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

    internal static string Aliases(IReadOnlyList<string> aliases) =>
        aliases.Count == 0 ? string.Empty : " (" + string.Join(", ", aliases.Select(a => "@" + a)) + ")";

    /// <summary>A path typed relative to the current folder, as the run recorded it (relative to the workspace root).</summary>
    internal static string RelativeOutput(CliContext context, WorkspaceSession session, string path) =>
        Path.IsPathRooted(path) || context.WorkingDirectory != session.Workspace.Root
            ? session.Workspace.Relative(context.FullPath(path))
            : path;

    internal static void WriteJson<T>(CliContext context, T value) =>
        context.Out.WriteLine(JsonSerializer.Serialize(value, CanonicalJson.TypeInfo<T>(indented: true)));
}
