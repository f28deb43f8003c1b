using System.CommandLine;
using System.Globalization;
using Repro.Checks.Audit;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro audit verify</c>: the chain and every logged digest recomputed; exit 1 at the first broken link.</summary>
public sealed class AuditVerifyCommand : CliCommand<AuditSettings>
{
    public AuditVerifyCommand(CliContext context)
        : base(context)
    {
    }

    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var command = new Command("verify", "Recompute the chain and every logged digest; exit 1 with the first broken link if anything was altered, removed or reordered.") { json };
        command.SetAction((parse, cancellationToken) => new AuditVerifyCommand(context).RunAsync(new AuditSettings { Json = parse.GetValue(json) }, cancellationToken));
        return command;
    }

    protected override async Task<int> ExecuteAsync(AuditSettings settings, CancellationToken cancellationToken)
    {
        await using var session = await Context.OpenWorkspaceAsync(cancellationToken);
        var result = await AuditVerifier.VerifyAsync(session.Store, cancellationToken);
        if (settings.Json)
        {
            Context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(result, indented: true)));
        }
        else if (result.Intact)
        {
            Context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit log intact: {result.Entries} entries, every link and digest checks out; head {result.Head ?? "(empty)"}"));
        }
        else
        {
            Context.Out.WriteLine($"audit log BROKEN: {result.FirstBroken!.Problem}");
            foreach (var problem in result.Problems.Skip(1))
            {
                Context.Out.WriteLine($"  also: {problem.Problem}");
            }
        }

        return result.Intact ? 0 : (int)ExitCode.Differs;
    }
}
