using System.Globalization;
using System.Text;

namespace Repro.Bench;

/// <summary>
/// `repro lint` on one generated 5,000-line training script (imports, seeds, functions, sklearn
/// pipelines, splits, loops): median of N whole processes, the interpreter's start and parse
/// included; next to the same interpreter only parsing the file (`ast.parse`, its start included).
/// </summary>
public static class LintBench
{
    private const double TargetSeconds = 2.0;
    private const double NotebookTargetSeconds = 1.0;
    private const int Lines = 5_000;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(BenchOptions options, string temp, TextWriter log, CancellationToken cancellationToken)
    {
        var work = Path.Combine(temp, "lint");
        Directory.CreateDirectory(work);
        var script = Path.Combine(work, "train.py");
        var text = Script(Lines);
        await File.WriteAllTextAsync(script, text, cancellationToken);
        var lineCount = text.Count(c => c == '\n');

        string[] lint = [.. options.ReproPrefix, "lint", "train.py", "--python", options.Python];
        string[] parse = ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", "train.py"];

        // Untimed first runs: the runtime, the assemblies and the interpreter come from disk once.
        await Measure.RunAsync(options.Repro, lint, work, cancellationToken);
        await Measure.RunAsync(options.Python, parse, work, cancellationToken);

        var lints = new List<double>();
        var parses = new List<double>();
        log.WriteLine($"[lint] {options.ProcessRuns} x `repro lint` of a {lineCount}-line script and `python3 -c ast.parse`");
        for (var i = 0; i < options.ProcessRuns; i++)
        {
            lints.Add((await Measure.RunAsync(options.Repro, lint, work, cancellationToken)).Seconds);
            parses.Add((await Measure.RunAsync(options.Python, parse, work, cancellationToken)).Seconds);
        }

        var repro = Measure.Median(lints);
        var peer = Measure.Median(parses);

        // The same code as a notebook, one cell per block: every cell parsed, then followed as one
        // program, the helpers it calls followed into their bodies at each call.
        var notebook = Path.Combine(work, "explore.ipynb");
        await File.WriteAllTextAsync(notebook, Notebook(text), cancellationToken);
        string[] lintNotebook = [.. options.ReproPrefix, "lint", "explore.ipynb", "--python", options.Python];
        await Measure.RunAsync(options.Repro, lintNotebook, work, cancellationToken);
        var notebookLints = new List<double>();
        log.WriteLine($"[lint] {options.ProcessRuns} x `repro lint` of the same {lineCount} lines as a notebook");
        for (var i = 0; i < options.ProcessRuns; i++)
        {
            notebookLints.Add((await Measure.RunAsync(options.Repro, lintNotebook, work, cancellationToken)).Seconds);
        }

        var notebookRepro = Measure.Median(notebookLints);
        return
        [
            new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"`repro lint` of a {Measure.Count(lineCount)}-line script (median of {options.ProcessRuns}, interpreter start included)"),
                Measure.Seconds(repro),
                $"python3 ast.parse alone (start included): {Measure.Seconds(peer)}",
                peer / repro,
                string.Create(CultureInfo.InvariantCulture, $"< {TargetSeconds:0} s"),
                repro < TargetSeconds),
            new ResultRow(
                string.Create(CultureInfo.InvariantCulture, $"`repro lint` of a notebook of {Measure.Count(lineCount)} code lines (median of {options.ProcessRuns}, interpreter start included)"),
                Measure.Seconds(notebookRepro),
                $"python3 ast.parse of the same code (start included): {Measure.Seconds(peer)}",
                peer / notebookRepro,
                string.Create(CultureInfo.InvariantCulture, $"< {NotebookTargetSeconds:0} s"),
                notebookRepro < NotebookTargetSeconds),
        ];
    }

    // A cell's source as notebooks store it: lines, each but the last ending in "\n".
    private static List<string> SourceLines(string block)
    {
        var lines = block.Split('\n');
        return lines.Select((line, i) => i < lines.Length - 1 ? line + "\n" : line).ToList();
    }

    /// <summary>The script as an nbformat 4 notebook: one code cell per block (blocks end at two blank lines), a magic in the first.</summary>
    public static string Notebook(string script)
    {
        var cells = script.Split("\n\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select((block, i) => i == 0 ? "%matplotlib inline\n" + block : block)
            .Select(block => new Dictionary<string, object>
            {
                ["cell_type"] = "code",
                ["metadata"] = new Dictionary<string, object>(),
                ["execution_count"] = 1,
                ["outputs"] = Array.Empty<object>(),
                ["source"] = SourceLines(block),
            });
        return System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new Dictionary<string, object>(),
            ["cells"] = cells.ToList(),
        });
    }

    /// <summary>A clean script (no findings) of about <paramref name="lines"/> lines: every rule still runs over all of it.</summary>
    public static string Script(int lines)
    {
        var text = new StringBuilder("""
            import os
            import random
            import numpy as np
            import pandas as pd
            from sklearn.model_selection import train_test_split, cross_val_score
            from sklearn.pipeline import make_pipeline
            from sklearn.preprocessing import StandardScaler
            from sklearn.ensemble import RandomForestClassifier
            from sklearn.metrics import accuracy_score

            random.seed(0)
            np.random.seed(0)

            """);
        for (var i = 0; text.ToString().Count(c => c == '\n') < lines; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""

                def load_{{i}}(folder):
                    frames = []
                    for name in sorted(os.listdir(folder)):
                        if name.endswith(".csv"):
                            frames.append(pd.read_csv(os.path.join(folder, name)))
                    return pd.concat(frames)


                def train_{{i}}(df):
                    X = df.drop(columns=["label"])
                    y = df["label"]
                    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state={{i}})
                    model = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=50, random_state={{i}}))
                    scores = cross_val_score(model, X_train, y_train, cv=5)
                    model.fit(X_train, y_train)
                    accuracy = accuracy_score(y_test, model.predict(X_test))
                    noise = np.random.normal(size=len(X_test))
                    result = {"cv": float(scores.mean()), "test": float(accuracy), "noise": float(noise.std())}
                    for key, value in sorted(result.items()):
                        print(f"{key}={value:.4f}")
                    return result


                results_{{i}} = train_{{i}}(load_{{i}}("data/part_{{i}}"))
                summary_{{i}} = {k: round(v, 3) for k, v in results_{{i}}.items() if v > 0}

                """);
        }

        return text.ToString();
    }
}
