using System.IO.Compression;
using Repro.Model.Serialization;
using Repro.Model.Verdicts;

namespace Repro.Judging.Comparison;

/// <summary>NumPy .npz archives: the same member names, each compared as an .npy array.</summary>
public sealed class NpzComparer : IFileComparer
{
    public string Name => "npz";

    public bool CanCompare(string path) => Path.GetExtension(path).Equals(".npz", StringComparison.OrdinalIgnoreCase);

    public async Task<ComparisonResult> CompareAsync(string originalPath, string reproducedPath, ComparisonOptions options, CancellationToken cancellationToken)
    {
        ZipArchive? a = null;
        ZipArchive? b = null;
        try
        {
            a = await ZipFile.OpenReadAsync(originalPath, cancellationToken);
            BoundedZip.Check(a, "the original");
        }
        catch (Exception ex) when (ex is InvalidDataException or InputLimitException)
        {
            if (a is not null)
            {
                await a.DisposeAsync();
            }

            return Invalid("original", ex.Message);
        }

        try
        {
            b = await ZipFile.OpenReadAsync(reproducedPath, cancellationToken);
            BoundedZip.Check(b, "the reproduction");
        }
        catch (Exception ex) when (ex is InvalidDataException or InputLimitException)
        {
            await a.DisposeAsync();
            if (b is not null)
            {
                await b.DisposeAsync();
            }

            return Invalid("reproduction", ex.Message);
        }

        await using (a)
        await using (b)
        {
            var namesA = a.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
            var namesB = b.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
            if (!namesA.SequenceEqual(namesB))
            {
                return new ComparisonResult
                {
                    Verdict = Verdict.Diverged,
                    Comparer = Name,
                    Detail = $"arrays differ: removed [{string.Join(", ", namesA.Except(namesB))}], added [{string.Join(", ", namesB.Except(namesA))}]",
                };
            }

            var verdict = Verdict.Identical;
            var details = new List<string>();
            double maxAbs = 0;
            double maxRel = 0;
            long maxUlp = 0;
            long compared = 0;
            long outOf = 0;
            foreach (var name in namesA)
            {
                try
                {
                    await using var x = await BoundedZip.OpenEntryAsync(a.GetEntry(name)!, cancellationToken);
                    await using var y = await BoundedZip.OpenEntryAsync(b.GetEntry(name)!, cancellationToken);
                    var member = await NpyComparer.CompareStreamsAsync(x, y, Path.GetFileNameWithoutExtension(name), options, cancellationToken);
                    verdict = (Verdict)Math.Max((int)verdict, (int)member.Verdict);
                    maxAbs = Math.Max(maxAbs, member.MaxAbsError ?? 0);
                    maxRel = Math.Max(maxRel, member.MaxRelError ?? 0);
                    maxUlp = Math.Max(maxUlp, member.MaxUlp ?? 0);
                    compared += member.Compared ?? 0;
                    outOf += member.OutOfTolerance ?? 0;
                    if (member.Verdict != Verdict.Identical)
                    {
                        details.Add(member.Detail);
                    }
                }
                catch (InvalidDataException ex)
                {
                    verdict = Verdict.Diverged;
                    details.Add($"{name}: cannot be read: {ex.Message}");
                }
            }

            if (verdict == Verdict.Identical)
            {
                verdict = Verdict.Equivalent;
                details.Add("every array has equal values; the archives differ in compression or metadata");
            }

            return new ComparisonResult
            {
                Verdict = verdict,
                Comparer = Name,
                Detail = string.Join("; ", details.Take(options.MaxExamples)),
                MaxAbsError = maxAbs,
                MaxRelError = maxRel,
                MaxUlp = maxUlp > 0 ? maxUlp : null,
                Compared = compared,
                OutOfTolerance = outOf,
            };
        }
    }

    private ComparisonResult Invalid(string which, string message) =>
        new() { Verdict = Verdict.Diverged, Comparer = Name, Detail = $"the {which} is not a valid .npz (zip) file: {message}" };
}
