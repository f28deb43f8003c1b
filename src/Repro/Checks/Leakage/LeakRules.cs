using Repro.Model.Findings;

namespace Repro.Checks.Leakage;

/// <summary>The data-level checks of <c>repro leak</c>, named by their code in Kapoor &amp; Narayanan's leakage taxonomy.</summary>
public static class LeakRules
{
    private const string Source = "Kapoor & Narayanan (2023), \"Leakage and the reproducibility crisis in machine-learning-based science\", Patterns 4(9), 100804";

    public static RuleDescriptor Duplicates { get; } = new()
    {
        Id = "L1.4",
        Name = "DuplicatesAcrossSplits",
        Summary = "Rows of the test set also occur in the training set (or repeat within the test set).",
        Rationale = "A test row that is also a training row measures memorisation, not generalisation, and inflates the reported score; repeated test rows weigh some cases more than others. Duplicates in datasets are leakage type L1.4 in " + Source + ".",
        DefaultSeverity = Severity.Error,
        Taxonomy = "L1.4",
    };

    public static RuleDescriptor Groups { get; } = new()
    {
        Id = "L3.2",
        Name = "GroupsInBothSplits",
        Summary = "The same group (patient, user, site) has rows in both the training and the test set.",
        Rationale = "Rows of one patient or user are not independent: a model can learn the individual rather than the pattern, and the test score overstates performance on new individuals. Split by group (e.g. GroupKFold). Non-independence between train and test is leakage type L3.2 in " + Source + ".",
        DefaultSeverity = Severity.Error,
        Taxonomy = "L3.2",
    };

    public static RuleDescriptor Temporal { get; } = new()
    {
        Id = "L3.1",
        Name = "TestOlderThanTrain",
        Summary = "Test rows are older than the newest training row.",
        Rationale = "When the model will predict the future, training on rows dated after test rows lets it see the future of its test set; the test score overstates what it can do. Temporal leakage is type L3.1 in " + Source + ".",
        DefaultSeverity = Severity.Error,
        Taxonomy = "L3.1",
    };

    public static RuleDescriptor Proxies { get; } = new()
    {
        Id = "L2",
        Name = "TargetProxy",
        Summary = "A single feature separates the target almost perfectly on the training set.",
        Rationale = "A feature that alone predicts the outcome is often recorded after it or derived from it (a proxy for the target), which would not be available when the model is used. Check it is known before the outcome. Illegitimate features are leakage type L2 in " + Source + ".",
        DefaultSeverity = Severity.Warning,
        Taxonomy = "L2",
    };

    public static RuleDescriptor Shift { get; } = new()
    {
        Id = "L3.3",
        Name = "DistributionShift",
        Summary = "A feature is distributed differently in the test set than in the training set.",
        Rationale = "When the test set is not drawn from the distribution the claim is about, the score does not support the claim (sampling bias in the test distribution, type L3.3 in " + Source + "). Measured per feature by the two-sample Kolmogorov–Smirnov statistic (numeric) or the total-variation distance (categorical).",
        DefaultSeverity = Severity.Warning,
        Taxonomy = "L3.3",
    };

    public static IReadOnlyList<RuleDescriptor> All { get; } = [Duplicates, Groups, Temporal, Proxies, Shift];
}
