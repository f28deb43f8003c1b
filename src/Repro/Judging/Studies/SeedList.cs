using System.Globalization;

namespace Repro.Judging.Studies;

/// <summary>The seeds of a study: given as a list (<c>--seeds 1,2,7</c>) or counted from a start (<c>-n N --seed-start S</c>, default 1).</summary>
public static class SeedList
{
    public const long DefaultStart = 1;

    public static IReadOnlyList<long> Build(int? count, string? list, long? start)
    {
        if (list is not null)
        {
            if (start is not null)
            {
                throw ReproException.Usage("give either --seeds or --seed-start, not both");
            }

            var seeds = new List<long>();
            foreach (var part in list.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) || seed < 0)
                {
                    throw ReproException.Usage($"--seeds: '{part}' is not a seed (a whole number ≥ 0)");
                }

                if (seeds.Contains(seed))
                {
                    throw ReproException.Usage($"--seeds: seed {seed} is given twice; every seed of a study must differ");
                }

                seeds.Add(seed);
            }

            if (count is { } n && n != seeds.Count)
            {
                throw ReproException.Usage($"-n {n} does not match the {seeds.Count} seeds given with --seeds");
            }

            return seeds;
        }

        if (count is not { } total)
        {
            throw ReproException.Usage("say how many seeds: -n N (or --seeds 1,2,7)");
        }

        if (total < 1)
        {
            throw ReproException.Usage("-n must be 1 or more");
        }

        var first = start ?? DefaultStart;
        if (first < 0 || first > long.MaxValue - total)
        {
            throw ReproException.Usage("--seed-start must be a whole number ≥ 0");
        }

        return Enumerable.Range(0, total).Select(i => first + i).ToList();
    }
}
