using System.CommandLine;
using Repro.Evidence.Reports;

namespace Repro.Cli.Commands;

/// <summary><c>repro key new KEYFILE</c>: an ECDSA P-256 key pair for signing reports.</summary>
public sealed class KeyCommand : CliCommand<KeySettings>
{
    public KeyCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("keyfile") { Description = "Where to write the private key (PKCS#8 PEM, mode 0600); the public key goes to KEYFILE.pub." };
        var create = new Command("new", "Make an ECDSA P-256 key pair: KEYFILE (private, 0600) and KEYFILE.pub (public). Never overwrites.") { file };
        create.SetAction((parse, cancellationToken) => new KeyCommand(context).RunAsync(new KeySettings { KeyFile = parse.GetValue(file)! }, cancellationToken));
        return new Command("key", "Keys for signing reports. Reference: docs/checks.md") { create };
    }

    protected override async Task<int> ExecuteAsync(KeySettings settings, CancellationToken cancellationToken)
    {
        var path = settings.KeyFile;
        var fingerprint = await ReportKeys.CreateAsync(Context.FullPath(path), cancellationToken);
        Context.Out.WriteLine($"private key {path} (keep it secret), public key {path}.pub, fingerprint {fingerprint}");
        return 0;
    }
}
