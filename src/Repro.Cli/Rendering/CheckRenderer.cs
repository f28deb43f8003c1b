using Repro.Checks.Checklist;
using Repro.Model;

namespace Repro.Cli.Rendering;

/// <summary>The checklist as a table, then the level and what would raise it.</summary>
public static class CheckRenderer
{
    public static void Render(TextWriter w, RunManifest run, ChecklistResult result)
    {
        w.WriteLine($"run {run.Id[..8]}{(run.Name is null ? string.Empty : $" ({run.Name})")}   digest {Format.Short(result.RunDigest)}");
        w.WriteLine();
        var table = new TableWriter("ITEM", "ANSWER", "EVIDENCE");
        foreach (var item in result.Items)
        {
            table.Add(item.Title, item.Status.ToString(), item.Evidence);
        }

        table.Write(w);
        w.WriteLine();
        w.WriteLine($"reproducibility (Gundersen): {result.LevelName}");
        if (result.ToRaise.Count > 0)
        {
            w.WriteLine("to raise it:");
            foreach (var step in result.ToRaise)
            {
                w.WriteLine($"  - {step}");
            }
        }
    }
}
