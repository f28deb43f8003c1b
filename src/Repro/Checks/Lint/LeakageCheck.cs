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
        var flow = new LeakageFlow(context.Names);
        flow.RunModule(context.Statements);
        foreach (var function in context.Nodes.Where(n => n.Is("FunctionDef") || n.Is("AsyncFunctionDef")))
        {
            var arguments = function.Node("args");
            var parameters = arguments is null ? [] : arguments.Nodes("posonlyargs").Concat(arguments.Nodes("args")).Concat(arguments.Nodes("kwonlyargs"))
                .Select(a => a.Text("arg")!).ToList();
            flow.RunFunction(function.Nodes("body"), parameters);
        }

        FittedBeforeSplit(context, flow);
        TestSetSelection(context, flow);
        TrainingOnlyEvaluation(context, flow);
    }

    private static void FittedBeforeSplit(LintContext context, LeakageFlow flow)
    {
        foreach (var fit in flow.Fits)
        {
            // The split sees the fitted step's output, or the fitted step is applied after a split of its own data.
            var split = flow.Splits.FirstOrDefault(s => s.Order >= fit.Order && s.Taints.Contains(fit.Id))
                ?? flow.Splits.FirstOrDefault(s => s.Order > fit.Order && s.Atoms.Overlaps(fit.Atoms) && flow.Transforms.Any(t => t.Fit == fit.Id && t.Order > s.Order));
            if (split is null)
            {
                continue;
            }

            var where = Where(split.Node);
            var (rule, message) = fit.Kind switch
            {
                LeakKind.FeatureSelection => (LintRules.Leak002, $"{fit.What} selects features on data that is split afterwards ({split.What}, {where}): the test rows' labels choose the features; select inside the training part or a Pipeline"),
                LeakKind.Oversampling => (LintRules.Leak003, $"{fit.What} over-samples before the split ({split.What}, {where}): copies of the same rows end up in train and test; resample the training part only"),
                _ => (LintRules.Leak001, $"{fit.What} learns statistics from data that is split afterwards ({split.What}, {where}): the test rows leak into training; fit it on the training part or inside a Pipeline"),
            };
            context.Add(rule, fit.Node, message);
        }
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

        // A model counts as scored on the test split through its own score()/evaluate(), or when
        // its predictions on the test split go into a metric; bare predictions (a submission
        // file) are not choosing.
        var scored = new List<(string Model, ScoreEvent Event)>();
        foreach (var score in flow.Scores.Where(s => s.Parts.HasFlag(DataPart.Test)))
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
            context.Add(LintRules.Leak004, several.Event.Node, "the test split is scored for several models or settings in a loop: choosing among them on test data tunes to the test set; choose on a validation split or by cross-validation");
            return;
        }

        // Two different models scored on the same test data (a split in another function is another test set).
        for (var i = 0; i < scored.Count; i++)
        {
            for (var j = i + 1; j < scored.Count; j++)
            {
                if (scored[i].Model != scored[j].Model && scored[i].Event.Atoms.Overlaps(scored[j].Event.Atoms))
                {
                    context.Add(LintRules.Leak004, scored[j].Event.Node, $"the test split is scored for several models (first at {Where(scored[i].Event.Node)}): choosing among them on test data tunes to the test set; choose on a validation split or by cross-validation");
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

    private static string Where(PyNode node) => node.Cell is { } cell
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cell {cell} line {node.Line}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {node.Line}");
}
