using Repro.Model.Findings;

namespace Repro.Checks.Lint;

/// <summary>Every rule <c>repro lint</c> knows, with why it matters and where the advice comes from.</summary>
public static class LintRules
{
    public static RuleDescriptor Syntax { get; } = new()
    {
        Id = "SYNTAX",
        Name = "SyntaxError",
        Summary = "the code does not parse, so nothing else in the file was checked",
        Rationale = "The interpreter's own parser rejected the code (Python's ast module); a file that does not parse cannot run, and none of its other rules were checked.",
        DefaultSeverity = Severity.Error,
    };

    public static RuleDescriptor NotAnalysed { get; } = new()
    {
        Id = "INTERNAL",
        Name = "NotAnalysed",
        Summary = "repro's analysis of this file (or notebook cell) failed or is past a limit, so its rules were not checked; every other file was",
        Rationale = "A fault inside repro lint (a bug, reported with the exception so it can be fixed) stops the analysis of one file or notebook cell, never the whole lint: it is named as not analysed and everything else is still checked. The same holds for code past repro's limits: a syntax tree nested more than 1,000 levels deep, a script over 16 MiB or a notebook over 256 MiB.",
        DefaultSeverity = Severity.Warning,
    };

    public static RuleDescriptor Det001 { get; } = new()
    {
        Id = "DET001",
        Name = "UnseededRandomness",
        Summary = "randomness is used (random, numpy.random, torch, tensorflow) but that library's seed is never set",
        Rationale = "Each library keeps its own generator; seeding one does not seed the others, and an unseeded generator starts from fresh OS entropy on every run. Source: PyTorch 'Reproducibility' notes (seed torch, random and numpy separately); NumPy random documentation; TensorFlow tf.random.set_seed.",
    };

    public static RuleDescriptor Det002 { get; } = new()
    {
        Id = "DET002",
        Name = "CudnnNondeterminism",
        Summary = "cudnn.benchmark = True, or CUDA used without cudnn.deterministic = True / use_deterministic_algorithms(True)",
        Rationale = "With benchmark mode cuDNN times several convolution algorithms and keeps the fastest, which can differ between runs; without deterministic mode it may pick non-deterministic algorithms. Source: PyTorch 'Reproducibility' notes, section 'CUDA convolution benchmarking' and 'CUDA convolution determinism'.",
    };

    public static RuleDescriptor Det003 { get; } = new()
    {
        Id = "DET003",
        Name = "CublasWorkspaceConfig",
        Summary = "torch.use_deterministic_algorithms(True) without CUBLAS_WORKSPACE_CONFIG",
        Rationale = "On CUDA ≥ 10.2 cuBLAS is only deterministic with CUBLAS_WORKSPACE_CONFIG=:4096:8 (or :16:8); without it deterministic mode raises an error at the first affected matmul. Set it in the environment (repro run --deterministic does) or in os.environ before CUDA starts. Source: PyTorch torch.use_deterministic_algorithms documentation; NVIDIA cuBLAS 'Results reproducibility'.",
    };

    public static RuleDescriptor Det004 { get; } = new()
    {
        Id = "DET004",
        Name = "UnseededDataLoader",
        Summary = "DataLoader with shuffle=True without generator=, or num_workers>0 without worker_init_fn=",
        Rationale = "The shuffle order comes from the loader's generator and each worker's numpy/random state from its own seed; pass a seeded torch.Generator and a worker_init_fn that seeds numpy and random per worker. Source: PyTorch 'Reproducibility' notes, section 'DataLoader'.",
    };

    public static RuleDescriptor Det005 { get; } = new()
    {
        Id = "DET005",
        Name = "LateHashSeed",
        Summary = "PYTHONHASHSEED set inside the script, after the interpreter started: it has no effect on this process",
        Rationale = "Python reads PYTHONHASHSEED once at start-up to salt str/bytes hashes (set and dict iteration order of strings); changing os.environ later only affects child processes. Set it before starting Python (repro run --seed does). Source: Python documentation, 'PYTHONHASHSEED' in Command line and environment.",
    };

    public static RuleDescriptor Det006 { get; } = new()
    {
        Id = "DET006",
        Name = "UnseededEstimator",
        Summary = "a scikit-learn estimator or splitter that uses randomness is created without random_state",
        Rationale = "With random_state=None scikit-learn draws from the global numpy generator, so results change with anything else that consumed it, or with every run when it is unseeded; pass an int. Source: scikit-learn User Guide, 'Controlling randomness'.",
    };

    public static RuleDescriptor Det007 { get; } = new()
    {
        Id = "DET007",
        Name = "SeedFromClock",
        Summary = "a seed is taken from the clock, uuid or os.urandom, so every run gets a different one",
        Rationale = "A seed derived from time.time(), datetime.now(), uuid4() or os.urandom() differs on every run, which is the same as not seeding unless it is recorded and can be passed back in. Use a fixed seed or take it from the command line (repro run --seed sets REPRO_SEED). Source: PyTorch 'Reproducibility' notes; NumPy 'Random Generator' best practices (SeedSequence).",
    };

    public static RuleDescriptor Det008 { get; } = new()
    {
        Id = "DET008",
        Name = "UnsortedListing",
        Summary = "os.listdir / os.scandir / glob results used without sorting",
        Rationale = "Directory listings come back in file-system order, which differs between machines, file systems and even copies of the same folder; the order of training files then changes shuffles, splits and batches. Wrap the listing in sorted(). Source: Python documentation for os.listdir ('in arbitrary order') and glob.glob.",
    };

    public static RuleDescriptor Det009 { get; } = new()
    {
        Id = "DET009",
        Name = "NondeterministicCudaOp",
        Summary = "an operation that is non-deterministic on CUDA is used without torch.use_deterministic_algorithms(True)",
        Rationale = "These kernels accumulate with atomic adds (index_add_, scatter_add_, index_put_ with accumulate, histc, bincount with weights, put_, kthvalue, interpolate/Upsample backward in linear modes, adaptive/3-D pooling, reflection/replication padding, grid_sample, CTCLoss backward, EmbeddingBag(mode='max')), so the sums' order, and the result, varies from run to run on a GPU. Source: PyTorch torch.use_deterministic_algorithms documentation (the list of operations).",
    };

    public static RuleDescriptor Det010 { get; } = new()
    {
        Id = "DET010",
        Name = "TensorflowDeterminism",
        Summary = "TensorFlow used without tf.keras.utils.set_random_seed and tf.config.experimental.enable_op_determinism",
        Rationale = "TensorFlow needs both: one seed for Python, NumPy and TensorFlow, and op determinism so GPU kernels and tf.data pick deterministic implementations. Source: TensorFlow API documentation, tf.config.experimental.enable_op_determinism.",
    };

    public static RuleDescriptor Det011 { get; } = new()
    {
        Id = "DET011",
        Name = "UnseededBoosting",
        Summary = "XGBoost or LightGBM model without an explicit seed (and for LightGBM, deterministic=True)",
        Rationale = "Row and column subsampling draw from the library's generator; its default seed differs between libraries and versions, and LightGBM's multi-threaded histogram building is only repeatable with deterministic=True (plus force_row_wise/force_col_wise). Source: XGBoost parameter documentation (seed/random_state); LightGBM parameters documentation (seed, deterministic).",
    };

    public static RuleDescriptor Leak001 { get; } = new()
    {
        Id = "LEAK001",
        Name = "PreprocessingBeforeSplit",
        Summary = "a preprocessing step with statistics across rows is fitted on data that is split afterwards",
        Rationale = "A scaler, imputer, encoder, PCA, vectorizer or a fillna(df.mean())-style reduction fitted before the split learns from the test rows, so the test score is optimistic. Fit it on the training part only, or put it in a Pipeline that cross-validation refits per fold. Source: Kapoor & Narayanan 2023, 'Leakage and the reproducibility crisis in machine-learning-based science', taxonomy L1.2 (pre-processing on training and test set); scikit-learn 'Common pitfalls: data leakage'.",
        Taxonomy = "L1.2",
    };

    public static RuleDescriptor Leak002 { get; } = new()
    {
        Id = "LEAK002",
        Name = "FeatureSelectionBeforeSplit",
        Summary = "feature selection is fitted on data that is split afterwards",
        Rationale = "Choosing features with the labels of all rows (SelectKBest, RFE, SelectFromModel…) selects the features that happen to fit the test rows too. Select inside the training part or inside a Pipeline. Source: Kapoor & Narayanan 2023, taxonomy L1.3 (feature selection on training and test set).",
        Taxonomy = "L1.3",
    };

    public static RuleDescriptor Leak003 { get; } = new()
    {
        Id = "LEAK003",
        Name = "OversamplingBeforeSplit",
        Summary = "over-sampling (SMOTE, RandomOverSampler…) before the split",
        Rationale = "Over-sampling copies or interpolates minority rows; done before the split, copies of the same row land on both sides, so the test set contains near-duplicates of training rows. Resample the training part only (imblearn's Pipeline does this per fold). Source: Kapoor & Narayanan 2023, taxonomy L1.4 (duplicates in training and test set).",
        Taxonomy = "L1.4",
    };

    public static RuleDescriptor Leak004 { get; } = new()
    {
        Id = "LEAK004",
        Name = "TestSetModelSelection",
        Summary = "the test split is used to choose between models or hyper-parameters",
        Rationale = "Scoring several models (or hyper-parameter settings) on the test split and keeping the best, or passing test data to a search's fit, tunes to the test set, so its score no longer estimates performance on new data. Choose on a validation split or with cross-validation; touch the test split once. Source: Kapoor & Narayanan 2023, taxonomy L1.1 (no test set: model selection on the test set).",
        Taxonomy = "L1.1",
    };

    public static RuleDescriptor Leak005 { get; } = new()
    {
        Id = "LEAK005",
        Name = "TrainingSetEvaluation",
        Summary = "a model is only evaluated on the data it was trained on",
        Rationale = "A score on the training rows measures memorisation, not generalisation; without held-out data (a test split, a separate test file or cross-validation) there is no estimate of performance on new data. Source: Kapoor & Narayanan 2023, taxonomy L1.1 (no test set).",
        Taxonomy = "L1.1",
    };

    public static IReadOnlyList<RuleDescriptor> All { get; } =
    [
        Det001, Det002, Det003, Det004, Det005, Det006, Det007, Det008, Det009, Det010, Det011,
        Leak001, Leak002, Leak003, Leak004, Leak005, Syntax, NotAnalysed,
    ];

    public static RuleDescriptor? Find(string id) => All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
}
