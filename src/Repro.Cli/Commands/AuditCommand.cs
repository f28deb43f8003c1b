using System.CommandLine;
using System.Globalization;
using Repro.Checks.Audit;
using Repro.Cli.Rendering;
using Repro.Model.Serialization;

namespace Repro.Cli.Commands;

/// <summary><c>repro audit log|verify</c>: the append-only, hash-chained log of every run, verification, study and report.</summary>
public static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var logJson = new Option<bool>("--json") { Description = "Print the log as a JSON array." };
        var log = new Command("log", "Show the audit log: sequence, time, kind, subject, the subject's SHA-256 and the link hash.") { logJson };
        log.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var entries = await session.Store.ReadAuditAsync(cancellationToken);
            if (parse.GetValue(logJson))
            {
                context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(entries, indented: true)));
                return 0;
            }

            if (entries.Count == 0)
            {
                context.Out.WriteLine("the audit log is empty: nothing recorded yet");
                return 0;
            }

            var table = new TableWriter("SEQ", "AT", "KIND", "SUBJECT", "SHA256", "HASH");
            foreach (var entry in entries)
            {
                table.Add(entry.Seq.ToString(CultureInfo.InvariantCulture), Format.Time(entry.At), entry.Kind, entry.Subject, Format.Short(entry.Digest), Format.Short(entry.Hash));
            }

            table.Write(context.Out);
            return 0;
        });

        var verifyJson = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var verify = new Command("verify", "Recompute the chain and every logged digest; exit 1 with the first broken link if anything was altered, removed or reordered.") { verifyJson };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await WorkspaceSession.OpenAsync(cancellationToken);
            var result = await AuditVerifier.VerifyAsync(session.Store, cancellationToken);
            if (parse.GetValue(verifyJson))
            {
                context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(CanonicalJson.Serialize(result, indented: true)));
            }
            else if (result.Intact)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit log intact: {result.Entries} entries, every link and digest checks out; head {result.Head ?? "(empty)"}"));
            }
            else
            {
                context.Out.WriteLine($"audit log BROKEN: {result.FirstBroken!.Problem}");
                foreach (var problem in result.Problems.Skip(1))
                {
                    context.Out.WriteLine($"  also: {problem.Problem}");
                }
            }

            return result.Intact ? 0 : (int)ExitCode.Differs;
        });

        return new Command("audit", "The tamper-evident log of runs, verifications, studies and reports. Reference: docs/checks.md") { log, verify };
    }
}
