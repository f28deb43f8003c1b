using System.CommandLine;
using Repro.Evidence.Reports;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro report verify FILE --key PUBFILE</c>: checks the ECDSA P-256 signature a signed report embeds.</summary>
public sealed class ReportVerifyCommand : CliCommand<ReportVerifySettings>
{
    public ReportVerifyCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "A signed report (HTML, Markdown or JSON)." };
        var key = new Option<string>("--key") { Description = "The signer's public key (KEYFILE.pub, SubjectPublicKeyInfo PEM).", Required = true };
        var command = new Command("verify", "Check a signed report's embedded ECDSA P-256 signature: exit 0 when it holds, 1 when the report was changed or signed with another key.") { file, key };
        command.SetAction((parse, cancellationToken) => new ReportVerifyCommand(context).RunAsync(
            new ReportVerifySettings
            {
                File = parse.GetValue(file)!,
                Key = parse.GetValue(key)!,
            },
            cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(ReportVerifySettings settings, CancellationToken cancellationToken)
    {
        var path = settings.File;
        if (!File.Exists(Context.FullPath(path)))
        {
            throw ReproException.NotFound($"report {path} not found");
        }

        using var publicKey = ReportKeys.LoadPublic(Context.FullPath(settings.Key));
        var result = ReportSignature.Verify(BoundedFile.ReadAllBytes(Context.FullPath(path), ReportLimits.MaxReportBytes), publicKey);
        Context.Out.WriteLine($"{path}: {result.Message}");
        return result.Valid ? (int)ExitCode.Ok : (int)ExitCode.Differs;
    }
}
