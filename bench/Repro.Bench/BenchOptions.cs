namespace Repro.Bench;

/// <summary>Command-line options: sizes for the full or the quick (--quick) run, and where things are.</summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }

    /// <summary>
    /// The repro to time (--repro PATH): the native program scripts/build-repro makes, or a
    /// portable repro.dll, which runs as <c>dotnet repro.dll</c>.
    /// </summary>
    public required string ReproPath { get; init; }

    /// <summary>The program that starts repro: <see cref="ReproPath"/> itself, or dotnet for a repro.dll.</summary>
    public string Repro => IsDll ? "dotnet" : ReproPath;

    /// <summary>What goes before repro's own arguments: the repro.dll for dotnet, else nothing.</summary>
    public IReadOnlyList<string> ReproPrefix => IsDll ? [ReproPath] : [];

    private bool IsDll => ReproPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the Markdown table is written as well as printed.</summary>
    public required string ResultsPath { get; init; }

    /// <summary>The interpreter whose sys.path is scanned.</summary>
    public string Python { get; init; } = "/usr/bin/python3";

    /// <summary>Where the temporary folder is made (--temp DIR); the system's temp folder by default.</summary>
    public string TempRoot { get; init; } = Path.GetTempPath();

    /// <summary>The benchmarks to run (--only sha256,folder,cli,python,npy,verify,data,leak,lint,container,pgstore,executor,search,mlflow,ui,slurm,load); all by default.</summary>
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(Names, StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = ["sha256", "folder", "cli", "python", "npy", "verify", "data", "leak", "lint", "container", "pgstore", "executor", "search", "mlflow", "ui", "slurm", "load"];

    /// <summary>
    /// The stores the MLflow ingest, load, search and runs-page benchmarks run on (--store
    /// sqlite|postgresql|both): SQLite by default; PostgreSQL is a throw-away server started for
    /// the run and stopped by its pid. With both, each PostgreSQL row shows the SQLite figure beside it.
    /// </summary>
    public IReadOnlyList<BenchStore> Stores { get; init; } = [BenchStore.Sqlite];

    public long BigFileBytes => Quick ? 256L << 20 : 1L << 30;

    public int SmallFileCount => Quick ? 2_000 : 20_000;

    public int SmallFileBytes { get; init; } = 4096;

    /// <summary>How often each in-process measurement is repeated (the median is reported).</summary>
    public int Repeats => Quick ? 2 : 3;

    /// <summary>How often each process is started for the start-up measurements.</summary>
    public int ProcessRuns => Quick ? 5 : 10;

    public static BenchOptions Parse(string[] args)
    {
        var quick = false;
        string? reproDll = null;
        string? results = null;
        string? python = null;
        HashSet<string>? only = null;
        string? tempRoot = null;
        IReadOnlyList<BenchStore>? stores = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--repro" or "--repro-dll" when i + 1 < args.Length:
                    reproDll = args[++i];
                    break;
                case "--results" when i + 1 < args.Length:
                    results = args[++i];
                    break;
                case "--python" when i + 1 < args.Length:
                    python = args[++i];
                    break;
                case "--temp" when i + 1 < args.Length:
                    tempRoot = args[++i];
                    break;
                case "--store" when i + 1 < args.Length:
                    stores = args[++i] switch
                    {
                        "sqlite" => [BenchStore.Sqlite],
                        "postgresql" or "postgres" => [BenchStore.Postgres],
                        "both" => [BenchStore.Sqlite, BenchStore.Postgres],
                        var other => throw new ArgumentException($"unknown store '{other}' (known: sqlite, postgresql, both)"),
                    };
                    break;
                case "--only" when i + 1 < args.Length:
                    only = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
                    if (only.FirstOrDefault(name => !Names.Contains(name)) is { } unknown)
                    {
                        throw new ArgumentException($"unknown benchmark '{unknown}' (known: {string.Join(", ", Names)})");
                    }

                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'; usage: Repro.Bench [--quick] [--only sha256,folder,cli,python,npy,verify,data,leak,lint,container,pgstore,executor,search,mlflow,ui,slurm,load] [--temp DIR] [--store sqlite|postgresql|both] --repro PATH --results FILE [--python PATH]");
            }
        }

        return new BenchOptions
        {
            Quick = quick,
            ReproPath = Path.GetFullPath(reproDll ?? throw new ArgumentException("--repro PATH is required")),
            ResultsPath = Path.GetFullPath(results ?? Path.Combine("bench", "results", "latest.md")),
            Python = python ?? "/usr/bin/python3",
            TempRoot = Path.GetFullPath(tempRoot ?? Path.GetTempPath()),
            Stores = stores ?? [BenchStore.Sqlite],
            Only = only ?? new HashSet<string>(Names, StringComparer.Ordinal),
        };
    }
}
