using Repro.Model.Findings;

namespace Repro.Checks.Lint;

/// <summary>
/// LEAK001–LEAK005: information from the test rows reaching training (preprocessing, feature
/// selection or over-sampling fitted before the split), the test split used for choosing, and
/// models only ever scored on their own training data. Conservative: when the data flow is not
/// clear, it says nothing.
/// </summary>
public sealed class LeakageCheck : ILintCheck
{
    public static LeakageCheck Instance { get; } = new();

    public IReadOnlyList<RuleDescriptor> Rules { get; } = [LintRules.Leak001, LintRules.Leak002, LintRules.Leak003, LintRules.Leak004, LintRules.Leak005];

    public void Check(LintContext context)
    {
        var functions = context.Nodes.Where(n => n.Is("FunctionDef") || n.Is("AsyncFunctionDef")).ToList();
        // Module-level definitions are what a call by name reaches; a method of the same name does not.
        var flow = new LeakageFlow(context.Names, context.Statements.Where(n => n.Is("FunctionDef") || n.Is("AsyncFunctionDef")), context.Statements.Where(n => n.Is("ClassDef")));
        flow.RunModule(context.Statements);
        foreach (var function in functions)
        {
            var arguments = function.Node("args");
            // def f(a, /, b, *args, c, **kwargs): every parameter, positional-only and starred ones too.
            var parameters = arguments is null ? [] : arguments.Nodes("posonlyargs").Concat(arguments.Nodes("args")).Concat(arguments.Nodes("kwonlyargs"))
                .Concat(new[] { arguments.Node("vararg"), arguments.Node("kwarg") }.OfType<PyNode>())
                .Select(a => a.Text("arg")).OfType<string>().ToList();
            flow.RunFunction(function.Nodes("body"), parameters);
        }

        FittedBeforeSplit(context, flow);
        TestSetSelection(context, flow);
        TrainingOnlyEvaluation(context, flow);
        FittedAndScoredOnTest(context, flow);
    }

    // A model (a calibrator, a post-processor) trained with labels on the test split alone and then
    // scored or predicting on that same split: the same rows train and test it.
    private static void FittedAndScoredOnTest(LintContext context, LeakageFlow flow)
    {
        foreach (var training in flow.Trained.Where(t => t.FeatureParts == DataPart.Test && t.Labelled && t.Model is not null && !t.Atoms.IsEmpty))
        {
            if (flow.Scores.FirstOrDefault(s => s.Model == training.Model && s.Order >= training.Order && s.Parts.HasFlag(DataPart.Test) && s.Atoms.Overlaps(training.Atoms)) is { } scored)
            {
                context.Add(LintRules.Leak003, training.Node, $"a model is fitted on the test split ({training.Data}) and then predicts that same split ({Where(scored.Node)}): the same rows train and test it; fit it on a training or calibration part", [(training.Node, "a model fitted on the test split"), (scored.Node, "predicts the rows it was fitted on")]);
            }
        }
    }

    private static void FittedBeforeSplit(LintContext context, LeakageFlow flow)
    {
        // A step inside a helper is seen once per call and once on its own: reported once, at its first path.
        var reported = new HashSet<PyNode>(ReferenceEqualityComparer.Instance);
        foreach (var fit in flow.Fits)
        {
            if (reported.Contains(fit.Node) || Path(flow, fit) is not { } path)
            {
                continue;
            }

            reported.Add(fit.Node);
            var split = path.Split;
            var where = Where(split.Node);
            var (rule, message) = fit.OnTrainingPart ? fit.Kind switch
            {
                LeakKind.FeatureSelection => (LintRules.Leak002, $"{fit.What} selects features on the whole training part, which {split.What} then splits into folds ({where}): each validation fold's labels chose the features, so the cross-validated scores are optimistic; select inside a Pipeline"),
                LeakKind.Oversampling => (LintRules.Leak003, $"{fit.What} over-samples the whole training part, which {split.What} then splits into folds ({where}): copies of the same rows sit in training and validation folds; resample inside an imbalanced-learn Pipeline"),
                _ => (LintRules.Leak001, $"{fit.What} learns statistics from the whole training part, which {split.What} then splits into folds ({where}): each validation fold shaped the step, so the cross-validated scores are optimistic; fit it inside a Pipeline"),
            }
            : fit.Kind switch
            {
                LeakKind.FeatureSelection => (LintRules.Leak002, $"{fit.What} selects features on data that is split afterwards ({split.What}, {where}): the test rows' labels choose the features; select inside the training part or a Pipeline"),
                LeakKind.Oversampling => (LintRules.Leak003, $"{fit.What} over-samples before the split ({split.What}, {where}): copies of the same rows end up in train and test; resample the training part only"),
                _ => (LintRules.Leak001, $"{fit.What} learns statistics from data that is split afterwards ({split.What}, {where}): the test rows leak into training; fit it on the training part or inside a Pipeline"),
            };
            context.Add(rule, fit.Node, message, path.Steps);
        }

        foreach (var mixed in flow.MixedFits)
        {
            if (!reported.Add(mixed.Node))
            {
                continue;
            }

            var rule = mixed.Kind switch
            {
                LeakKind.FeatureSelection => LintRules.Leak002,
                LeakKind.Oversampling => LintRules.Leak003,
                _ => LintRules.Leak001,
            };
            context.Add(rule, mixed.Node, $"{mixed.What} is fitted on rows of both the training and the test split (the parts joined again): the test rows leak into training; fit it on the training part only", [(mixed.Node, $"{mixed.What} fitted on train and test rows together")]);
        }
    }

    // How a step fitted on unsplit rows reaches a split: the split sees its output; or it is applied
    // to a part of a split of the data it was fitted on; or a model is trained on data that carries
    // it, after a split of that data (fold indices into the transformed frame).
    private static (SplitEvent Split, IReadOnlyList<(PyNode Node, string Note)> Steps)? Path(LeakageFlow flow, FitEvent fit)
    {
        if (fit.OnTrainingPart)
        {
            // Fitted on the training part, whose cross-validated scores are then the evaluation. A
            // search that only chooses settings by folds, with a held-out test score, is not reported.
            return flow.Splits.FirstOrDefault(s => s.Order >= fit.Order && s.Taints.Contains(fit.Id) && LeakageFlow.EvaluatesByFolds(s.What)) is { } cv
                ? (cv, [(fit.Node, $"{fit.What} fitted on the whole training part"), (cv.Node, $"{cv.What} splits it into folds: each validation fold shaped the step")])
                : null;
        }

        var fitted = (fit.Node, $"{fit.What} fitted on rows not yet split");
        if (flow.Splits.FirstOrDefault(s => s.Order >= fit.Order && s.Taints.Contains(fit.Id)) is { } direct)
        {
            return (direct, [fitted, (direct.Node, $"{direct.What} splits data that carries it")]);
        }

        foreach (var split in flow.Splits.Where(s => s.Atoms.Overlaps(fit.Atoms)))
        {
            var applied = flow.Transforms.FirstOrDefault(t => t.Fit == fit.Id && t.Order > split.Order);
            if (applied.Node is not null)
            {
                return (split, [fitted, (split.Node, $"{split.What} splits the same data"), (applied.Node, "the step fitted on all rows transforms a part")]);
            }
        }

        var trained = flow.Trained.FirstOrDefault(m => m.Taints.Contains(fit.Id) && m.Parts != DataPart.None);
        if (trained is not null && flow.Splits.FirstOrDefault(s => s.Atoms.Overlaps(fit.Atoms)) is { } folds)
        {
            return (folds, [fitted, (folds.Node, $"{folds.What} splits the same data"), (trained.Node, "a model is trained on a part that carries it")]);
        }

        // No split call, but the rows the step learned from are both trained on and predicted on
        // (train and test joined, processed, then sliced apart again: data[:n], data[n:]).
        foreach (var training in flow.Trained.Where(m => m.Taints.Contains(fit.Id) && m.Atoms.Overlaps(fit.Atoms)))
        {
            // The same model predicts other rows than it trained on (another model is another question).
            if (flow.Scores.FirstOrDefault(s => s.Data is { } data && data != "…" && !SameData(data, training.Data) && s.Taints.Contains(fit.Id) && s.Atoms.Overlaps(fit.Atoms)
                && (training.Model is null || s.Model is null || s.Model == training.Model)) is { } predicted)
            {
                var usedAsTest = new SplitEvent { Node = predicted.Node, What = "the rows predicted on", Order = fit.Order, Atoms = predicted.Atoms, Taints = predicted.Taints };
                return (usedAsTest, [fitted, (training.Node, "a model is trained on rows it learned from"), (predicted.Node, "and predicts rows it learned from too")]);
            }
        }

        return null;
    }

    private static void TestSetSelection(LintContext context, LeakageFlow flow)
    {
        foreach (var search in flow.SearchesOnTest)
        {
            context.Add(LintRules.Leak004, search, "a hyper-parameter search is fitted on the test split: it tunes to the test set; search on the training part and score the test split once");
        }

        foreach (var (call, keyword) in flow.MonitoredOnTest)
        {
            context.Add(LintRules.Leak004, call, $"the test split is passed as {keyword}= to fit: early stopping or checkpoint choice on it tunes to the test set; monitor a validation split");
        }

        // The fold that stopped training is then the fold the model is scored on: its score is the evaluation.
        foreach (var watched in flow.MonitoredFolds)
        {
            if (flow.Scores.FirstOrDefault(s => s.IsScore && s.Parts.HasFlag(DataPart.Validation) && s.Atoms.Overlaps(watched.Atoms)
                && (s.Model == watched.Model || s.Predictions.Contains(watched.Model) || s.Predictions.Contains("*" + watched.Model))) is { } stopped)
            {
                context.Add(LintRules.Leak004, watched.Call, $"the held-out part passed as {watched.Keyword}= to fit (early stopping or checkpoint choice) is the part the model is then scored on ({Where(stopped.Node)}): the score is tuned to it; stop on a validation part cut from the training rows", [(watched.Call, "the held-out part watched while training"), (stopped.Node, "and scored")]);
                break;
            }
        }

        foreach (var (chooser, rescored) in flow.ChosenOnTest.Take(1))
        {
            context.Add(LintRules.Leak004, rescored, $"the test split is scored with a threshold or setting read off its own scores ({Where(chooser)}): the choice is tuned to the test set; choose it on a validation split or by cross-validation", [(chooser, "a score of the test split picks a threshold or setting"), (rescored, "the test split scored with it")]);
        }

        // A model counts as scored on the test split through its own score()/evaluate(), or when
        // its predictions on the test split go into a metric; bare predictions (a submission
        // file) are not choosing.
        var scored = new List<(string Model, ScoreEvent Event)>();
        foreach (var score in flow.Scores.Where(s => s.Parts.HasFlag(DataPart.Test) || (s.Parts == DataPart.None && s.NamedTest && !s.Atoms.IsEmpty)))
        {
            if (score.IsScore && score.Model is not null)
            {
                scored.Add(((score.ManyModels ? "*" : string.Empty) + score.Model, score));
            }

            // A blend of several models' predictions, scored once, is one candidate.
            if (score.Predictions.Count > 0)
            {
                var blend = string.Join('+', score.Predictions.Order(StringComparer.Ordinal));
                scored.Add((score.Predictions.Any(p => p.StartsWith('*')) ? "*" + blend : blend, score));
            }
        }

        var several = scored.FirstOrDefault(s => s.Model.StartsWith('*'));
        if (several.Event is not null)
        {
            context.Add(LintRules.Leak004, several.Event.Node, "the test split is scored for several models or settings in a loop: choosing among them on test data tunes to the test set; choose on a validation split or by cross-validation", [(several.Event.Node, "the test split scored for each model of the loop")]);
            return;
        }

        // Two different models scored on the same test data (a split in another function is another test set).
        for (var i = 0; i < scored.Count; i++)
        {
            for (var j = i + 1; j < scored.Count; j++)
            {
                if (scored[i].Model != scored[j].Model && scored[i].Event.Atoms.Overlaps(scored[j].Event.Atoms))
                {
                    context.Add(LintRules.Leak004, scored[j].Event.Node, $"the test split is scored for several models (first at {Where(scored[i].Event.Node)}): choosing among them on test data tunes to the test set; choose on a validation split or by cross-validation", [(scored[i].Event.Node, "the test split scored for one model"), (scored[j].Event.Node, "and again for another")]);
                    return;
                }
            }
        }
    }

    private static void TrainingOnlyEvaluation(LintContext context, LeakageFlow flow)
    {
        if (flow.ModelFits.Count == 0 || flow.CrossValidates)
        {
            return;
        }

        var fitted = flow.ModelFits.SelectMany(f => f.Atoms).ToHashSet();
        var heldOut = flow.Scores.Any(s => (s.Parts & (DataPart.Test | DataPart.Validation)) != 0 || !s.Atoms.Overlaps(fitted));
        if (heldOut)
        {
            return;
        }

        var onTraining = flow.Scores.FirstOrDefault(s => s.IsScore);
        if (onTraining is not null)
        {
            context.Add(LintRules.Leak005, onTraining.Node, "the model is only scored on the data it was trained on: this measures memorisation; score held-out data (a test split or cross-validation)");
        }
    }

    // Predicting the training frame, or a slice or column of it, is not predicting other rows.
    private static bool SameData(string predicted, string trained) =>
        predicted == trained || predicted.StartsWith(trained + "[", StringComparison.Ordinal) || predicted.StartsWith(trained + ".", StringComparison.Ordinal);

    private static string Where(PyNode node) => node.Cell is { } cell
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cell {cell} line {node.Line}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {node.Line}");
}
