using System.CommandLine;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Evidence.Reports;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro report RUN|STUDY|VERIFICATION [-o FILE] [--format html|md|json] [--sign KEYFILE]</c> and
/// <c>repro report verify FILE --key PUBFILE</c>: evidence that travels, optionally signed.
/// </summary>
public sealed class ReportCommand : CliCommand<ReportCommandSettings>
{
    public ReportCommand(CliContext context)
        : base(context)
    {
    }

    /// <summary>"repro 0.1.0": the tool's version without build metadata.</summary>
    public static string Generator { get; } = "repro " + ReproVersion.Short;

    public static Command Create(CliContext context)
    {
        var subject = new Argument<string>("subject") { Description = "A run (id, prefix, name or @last), a study, or a verification id or prefix." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to FILE (default: standard output)." };
        var format = new Option<string?>("--format") { Description = "html (default), md or json; without it the extension of -o decides." };
        format.AcceptOnlyFromAmong("html", "md", "json");
        var sign = new Option<string?>("--sign") { Description = "Sign the report with the ECDSA P-256 private key in KEYFILE (`repro key new`); the signature is embedded." };
        var command = new Command("report", "Write a self-contained report of a run, a study or a verification: HTML, Markdown or JSON, optionally signed. Reference: docs/checks.md")
        {
            subject, output, format, sign, ReportVerifyCommand.Create(context),
        };
        command.SetAction((parse, cancellationToken) => new ReportCommand(context).RunAsync(
            new ReportCommandSettings
            {
                Subject = parse.GetValue(subject)!,
                Output = parse.GetValue(output),
                Format = parse.GetValue(format),
                Sign = parse.GetValue(sign),
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ReportCommandSettings settings, CancellationToken cancellationToken)
    {
        var path = settings.Output;
        var chosen = ReportRenderer.Choose(settings.Format, path);
        using var key = settings.Sign is { } keyPath ? ReportKeys.LoadPrivate(Context.FullPath(keyPath)) : null;

        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var builder = new ReportBuilder(session.Store, session.Cache, session.Workspace, Context.Time, Generator);
        var data = await builder.BuildAsync(settings.Subject, cancellationToken);
        var text = ReportRenderer.Render(data, chosen);
        if (key is not null)
        {
            text = ReportSignature.Sign(text, chosen, key);
        }

        var digest = Sha256Hasher.HashBytes(System.Text.Encoding.UTF8.GetBytes(text));
        if (path is null)
        {
            Context.Out.Write(text);
        }
        else
        {
            await AtomicFile.WriteAllTextAsync(Context.FullPath(path), text, cancellationToken);
        }

        await session.Store.AppendAuditAsync("report", data.Subject, digest, Context.Time.GetUtcNow(), cancellationToken);
        if (path is not null)
        {
            Terminal.Note(Context, $"{data.Kind} report written to {path} (sha256 {digest}{(key is null ? string.Empty : ", signed with " + ReportKeys.Fingerprint(key))})");
        }

        return 0;
    }
}
