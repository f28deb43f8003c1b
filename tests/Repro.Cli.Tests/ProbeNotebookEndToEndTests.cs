using System.Text.Json;
using System.Text.Json.Nodes;

namespace Repro.Cli.Tests;

/// <summary>
/// The probe in a Jupyter kernel: Debian's <c>jupyter nbconvert --execute</c> starts an ipykernel
/// for /usr/bin/python3, which inherits the probe's environment. Its events come from that child
/// process, not from the jupyter process repro started. (Debian packages no papermill.)
/// </summary>
public sealed class ProbeNotebookEndToEndTests
{
    private const string Jupyter = "/usr/bin/jupyter";

    private static readonly string[] Execute = [Jupyter, "nbconvert", "--to", "notebook", "--execute", "nb.ipynb", "--output", "out.ipynb"];

    /// <summary>A notebook (format 4.5) of code cells, for the kernel Debian's ipykernel installs as python3.</summary>
    private static string Notebook(params string[] cells)
    {
        var list = new JsonArray();
        for (var i = 0; i < cells.Length; i++)
        {
            list.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["id"] = $"cell-{i}",
                ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(),
                ["source"] = cells[i],
            });
        }

        var notebook = new JsonObject
        {
            ["cells"] = list,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = "python3", ["display_name"] = "Python 3", ["language"] = "python" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return notebook.ToJsonString();
    }

    private static async Task<Workdir> NotebookProjectAsync(params string[] cells)
    {
        Assert.True(File.Exists(Jupyter), "Debian's jupyter-nbconvert and python3-ipykernel are needed (scripts/setup installs them)");
        return await ProbeEndToEndTests.ProjectAsync(("nb.ipynb", Notebook(cells)));
    }

    /// <summary>The run's trace, one JSON object a line, read back from the content cache.</summary>
    private static List<JsonElement> TraceOf(Workdir dir, JsonElement probe)
    {
        var sha = probe.GetProperty("trace").GetProperty("sha256").GetString()!;
        var lines = File.ReadAllLines(dir.Combine(".repro", "cache", "sha256", sha[..2], sha[2..]));
        return lines.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    [Fact]
    public async Task Seed_3_reaches_the_kernel_of_jupyter_nbconvert_execute_which_records_its_fits_and_estimator_params()
    {
        using var dir = await NotebookProjectAsync(
            "import json\nimport numpy as np\nfrom sklearn.linear_model import SGDClassifier\nX = np.random.rand(200, 4)\ny = (X[:, 0] + X[:, 1] > 1).astype(int)",
            "model = SGDClassifier(alpha=0.001, max_iter=200).fit(X, y)\njson.dump({\"acc\": float(model.score(X, y)), \"w\": float(model.coef_.sum())}, open(\"metrics.json\", \"w\"))");
        await ProbeEndToEndTests.Record(dir, ["--name", "nb", "--seed", "3", "--metrics", "metrics.json", "--", .. Execute]);
        var probe = await ProbeEndToEndTests.ProbeOf(dir);
        Assert.True(probe.GetProperty("processes").GetInt32() == 2, probe.ToString());
        var seeded = probe.GetProperty("seeded").EnumerateArray().ToDictionary(s => s.GetProperty("library").GetString()!, s => s.GetProperty("seed").GetInt64());
        Assert.Equal(3, seeded["numpy"]);
        Assert.Equal(3, seeded["random"]);
        var sgd = probe.GetProperty("estimators").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "SGDClassifier");
        Assert.Equal("0.001", sgd.GetProperty("params").GetProperty("alpha").GetString());
        Assert.Contains("random_state", sgd.GetProperty("defaults").EnumerateArray().Select(d => d.GetString()));
        Assert.DoesNotContain("alpha", sgd.GetProperty("defaults").EnumerateArray().Select(d => d.GetString()));

        // The fit and the seeding happened in the kernel: a child of the process repro started.
        var trace = TraceOf(dir, probe);
        var command = trace[0].GetProperty("pid").GetInt64();
        var fit = trace.Single(e => e.GetProperty("t").GetString() == "call" && e.GetProperty("call").GetString() == "SGDClassifier.fit");
        var kernel = fit.GetProperty("pid").GetInt64();
        Assert.NotEqual(command, kernel);
        Assert.Contains(trace, e => e.GetProperty("t").GetString() == "start" && e.GetProperty("pid").GetInt64() == kernel && e.GetProperty("ppid").GetInt64() == command);
        Assert.Contains(trace, e => e.GetProperty("t").GetString() == "seed" && e.GetProperty("pid").GetInt64() == kernel && e.GetProperty("lib").GetString() == "numpy");
        Assert.Contains(trace, e => e.GetProperty("t").GetString() == "call" && e.GetProperty("pid").GetInt64() == kernel && e.GetProperty("call").GetString() == "SGDClassifier.score");

        var (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "nb");
        Assert.True(exit == 0, raw.ToString());
        Assert.False(report.TryGetProperty("first_divergence", out _), raw.ToString());
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("traces agree", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_of_a_notebook_with_an_unseeded_estimator_names_its_fit_inside_the_kernel_as_the_first_divergence()
    {
        using var dir = await NotebookProjectAsync(
            "import json\nimport numpy as np\nfrom sklearn.linear_model import SGDClassifier\ndata = np.random.RandomState(0)\nX = data.normal(size=(200, 4))\ny = (X[:, 0] + X[:, 1] > 0).astype(int)",
            "model = SGDClassifier(max_iter=5, tol=None).fit(X, y)\njson.dump({\"w\": float(model.coef_.sum())}, open(\"metrics.json\", \"w\"))");
        await ProbeEndToEndTests.Record(dir, ["--name", "unseeded", "--metrics", "metrics.json", "--", .. Execute]);
        var probe = await ProbeEndToEndTests.ProbeOf(dir);
        Assert.Empty(probe.GetProperty("seeded").EnumerateArray());
        // Only the kernel imports NumPy: its start is the run's.
        Assert.Contains(probe.GetProperty("rng_starts").EnumerateArray(), s => s.GetProperty("library").GetString() == "numpy");

        var (exit, report, raw) = await VerifyEndToEndTests.VerifyAsync(dir, "unseeded");
        Assert.True(exit == 1, raw.ToString());
        var first = report.GetProperty("first_divergence");
        Assert.Equal("SGDClassifier.fit", first.GetProperty("call").GetString());
        Assert.Equal(1, first.GetProperty("process").GetInt32());
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.Equal(["X", "y"], first.GetProperty("equal_inputs").EnumerateArray().Select(i => i.GetString()));
        Assert.Contains("coef_", first.GetProperty("differed")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("unseeded_rng", first.GetProperty("cause_kind").GetString());
        Assert.Contains("NumPy's global RNG started from a different state", first.GetProperty("cause").GetString(), StringComparison.Ordinal);

        var text = await dir.ReproAsync("verify", "unseeded");
        Assert.Contains("first divergence: SGDClassifier.fit (traced call 0 of child process 1)", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notebook_executed_in_the_sandbox_gets_the_probe_in_its_kernel_too()
    {
        using var dir = await NotebookProjectAsync(
            "import json\nimport numpy as np\nfrom sklearn.cluster import KMeans\nX = np.random.rand(60, 2)",
            "model = KMeans(n_clusters=2, n_init=2).fit(X)\njson.dump({\"inertia\": float(model.inertia_)}, open(\"metrics.json\", \"w\"))");
        await ProbeEndToEndTests.Record(dir, ["--name", "boxed", "--executor", "sandbox", "--seed", "3", "--out", "out.ipynb", "--metrics", "metrics.json", "--", .. Execute]);
        var manifest = await dir.ManifestAsync("boxed");
        Assert.Equal("sandbox", manifest.GetProperty("environment").GetProperty("executor").GetProperty("name").GetString());
        var probe = manifest.GetProperty("probe");
        Assert.True(probe.GetProperty("processes").GetInt32() == 2, probe.ToString());
        Assert.Contains(probe.GetProperty("seeded").EnumerateArray(), s => s.GetProperty("library").GetString() == "numpy" && s.GetProperty("seed").GetInt64() == 3);
        Assert.Contains(probe.GetProperty("estimators").EnumerateArray(), e => e.GetProperty("name").GetString() == "KMeans");
        Assert.Contains(TraceOf(dir, probe), e => e.GetProperty("t").GetString() == "call" && e.GetProperty("call").GetString() == "KMeans.fit");
    }
}
