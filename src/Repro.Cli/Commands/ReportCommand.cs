using System.CommandLine;
using Repro.Blobs.Hashing;
using Repro.Blobs.Storage;
using Repro.Cli.Rendering;
using Repro.Evidence.Reports;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro report RUN|STUDY|VERIFICATION [-o FILE] [--format html|md|json] [--sign KEYFILE]</c> and
/// <c>repro report verify FILE --key PUBFILE</c>: evidence that travels, optionally signed.
/// </summary>
public static class ReportCommand
{
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
            subject, output, format, sign, Verify(context),
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(output);
            var chosen = ReportRenderer.Choose(parse.GetValue(format), path);
            using var key = parse.GetValue(sign) is { } keyPath ? ReportKeys.LoadPrivate(keyPath) : null;

            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var builder = new ReportBuilder(session.Store, session.Cache, session.Workspace, context.Time, Generator);
            var data = await builder.BuildAsync(parse.GetValue(subject)!, cancellationToken);
            var text = ReportRenderer.Render(data, chosen);
            if (key is not null)
            {
                text = ReportSignature.Sign(text, chosen, key);
            }

            var digest = Sha256Hasher.HashBytes(System.Text.Encoding.UTF8.GetBytes(text));
            if (path is null)
            {
                context.Out.Write(text);
            }
            else
            {
                await AtomicFile.WriteAllTextAsync(path, text, cancellationToken);
            }

            await session.Store.AppendAuditAsync("report", data.Subject, digest, context.Time.GetUtcNow(), cancellationToken);
            if (path is not null)
            {
                Terminal.Note(context.Error, $"{data.Kind} report written to {path} (sha256 {digest}{(key is null ? string.Empty : ", signed with " + ReportKeys.Fingerprint(key))})");
            }

            return 0;
        });
        return command;
    }

    private static Command Verify(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A signed report (HTML, Markdown or JSON)." };
        var key = new Option<string>("--key") { Description = "The signer's public key (KEYFILE.pub, SubjectPublicKeyInfo PEM).", Required = true };
        var command = new Command("verify", "Check a signed report's embedded ECDSA P-256 signature: exit 0 when it holds, 1 when the report was changed or signed with another key.") { file, key };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw ReproException.Usage($"report {path} not found");
            }

            using var publicKey = ReportKeys.LoadPublic(parse.GetValue(key)!);
            var result = ReportSignature.Verify(BoundedFile.ReadAllBytes(path, ReportLimits.MaxReportBytes), publicKey);
            context.Out.WriteLine($"{path}: {result.Message}");
            return result.Valid ? (int)ExitCode.Ok : (int)ExitCode.Differs;
        });
        return command;
    }
}
