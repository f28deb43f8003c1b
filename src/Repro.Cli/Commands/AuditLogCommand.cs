using System.CommandLine;
using System.Globalization;
using Repro.Cli.Rendering;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro audit log</c>: every entry of the audit log, oldest first.</summary>
public sealed class AuditLogCommand : CliCommand<AuditSettings>
{
    public AuditLogCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the log as a JSON array." };
        var command = new Command("log", "Show the audit log: sequence, time, kind, subject, the subject's SHA-256 and the link hash.") { json };
        command.SetAction((parse, cancellationToken) => new AuditLogCommand(context).RunAsync(new AuditSettings { Json = parse.GetValue(json) }, cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(AuditSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var entries = await session.Store.ReadAuditAsync(cancellationToken);
        if (settings.Json)
        {
            Context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(entries, indented: true)));
            return 0;
        }

        if (entries.Count == 0)
        {
            Context.Out.WriteLine("the audit log is empty: nothing recorded yet");
            return 0;
        }

        var table = new TableWriter("SEQ", "AT", "KIND", "SUBJECT", "SHA256", "HASH");
        foreach (var entry in entries)
        {
            table.Add(entry.Seq.ToString(CultureInfo.InvariantCulture), Format.Time(entry.At), entry.Kind, entry.Subject, Format.Short(entry.Digest), Format.Short(entry.Hash));
        }

        table.Write(Context.Out);
        return 0;
    }
}
