using Repro.Model.Findings;

namespace Repro.Checks.Lint;

/// <summary>DET001–DET011: generators left unseeded, seeds that change every run, and GPU kernels
/// or settings that make the same seeded code give different numbers.</summary>
public sealed class DeterminismCheck : ILintCheck
{
    public static DeterminismCheck Instance { get; } = new();

    private static readonly HashSet<string> PythonRandom = Set(
        "random", "randint", "choice", "choices", "shuffle", "sample", "uniform", "gauss", "randrange", "normalvariate",
        "lognormvariate", "betavariate", "expovariate", "gammavariate", "triangular", "vonmisesvariate", "paretovariate",
        "weibullvariate", "getrandbits", "randbytes", "binomialvariate");

    private static readonly HashSet<string> NumpyNotDrawing = Set(
        "seed", "default_rng", "RandomState", "Generator", "SeedSequence", "PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64",
        "BitGenerator", "get_state", "set_state");

    private static readonly HashSet<string> TorchRandom = Set(
        "torch.rand", "torch.randn", "torch.randint", "torch.randperm", "torch.rand_like", "torch.randn_like", "torch.randint_like",
        "torch.normal", "torch.bernoulli", "torch.multinomial", "torch.poisson", "torch.utils.data.random_split",
        "torch.nn.functional.dropout");

    private static readonly HashSet<string> TorchInitialised = Set(
        "Linear", "LazyLinear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
        "LSTM", "GRU", "RNN", "LSTMCell", "GRUCell", "RNNCell", "Embedding", "EmbeddingBag", "Transformer", "TransformerEncoderLayer",
        "TransformerDecoderLayer", "MultiheadAttention", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout");

    private static readonly HashSet<string> KerasInitialised = Set(
        "Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "SeparableConv2D",
        "DepthwiseConv2D", "LSTM", "GRU", "SimpleRNN", "Embedding", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
        "GaussianNoise", "GaussianDropout", "MultiHeadAttention", "RandomFlip", "RandomRotation", "RandomCrop", "RandomZoom");

    private static readonly HashSet<string> SeedAll = Set(
        "lightning.seed_everything", "lightning.pytorch.seed_everything", "lightning.fabric.seed_everything",
        "pytorch_lightning.seed_everything", "pytorch_lightning.utilities.seed.seed_everything", "lightning_fabric.seed_everything",
        "transformers.set_seed", "accelerate.utils.set_seed", "keras.utils.set_random_seed", "tensorflow.keras.utils.set_random_seed");

    private static readonly HashSet<string> TensorflowSeeds = Set(
        "tensorflow.random.set_seed", "tensorflow.set_random_seed", "tensorflow.compat.v1.set_random_seed",
        "tensorflow.compat.v1.random.set_random_seed", "keras.utils.set_random_seed", "tensorflow.keras.utils.set_random_seed",
        "transformers.set_seed");

    private static readonly HashSet<string> SklearnAlwaysRandom = Set(
        "train_test_split", "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold", "RepeatedStratifiedKFold",
        "RandomizedSearchCV", "HalvingRandomSearchCV", "KMeans", "MiniBatchKMeans", "BisectingKMeans", "TSNE", "TruncatedSVD",
        "IsolationForest", "RandomTreesEmbedding", "GaussianMixture", "BayesianGaussianMixture", "SpectralClustering",
        "SpectralEmbedding", "LatentDirichletAllocation", "FastICA", "MiniBatchDictionaryLearning", "MiniBatchSparsePCA", "SparsePCA",
        "NMF", "MiniBatchNMF", "SparseRandomProjection", "GaussianRandomProjection", "RBFSampler", "Nystroem", "SkewedChi2Sampler",
        "BaggingClassifier", "BaggingRegressor", "AdaBoostClassifier", "AdaBoostRegressor", "Perceptron", "DecisionTreeClassifier",
        "DecisionTreeRegressor", "ExtraTreeClassifier", "ExtraTreeRegressor", "permutation_importance", "resample", "shuffle",
        "SMOTE", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE", "SMOTENC", "SMOTEN", "RandomOverSampler",
        "RandomUnderSampler", "MDS");

    private static readonly string[] SklearnRandomFamilies =
        ["RandomForest", "ExtraTrees", "GradientBoosting", "HistGradientBoosting", "SGD", "MLP", "PassiveAggressive"];

    private static readonly HashSet<string> Clock = Set(
        "time.time", "time.time_ns", "time.perf_counter", "time.perf_counter_ns", "time.monotonic", "time.monotonic_ns",
        "time.process_time", "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today",
        "uuid.uuid1", "uuid.uuid4", "os.urandom", "os.getpid", "random.SystemRandom", "secrets.randbits", "secrets.token_bytes",
        "secrets.token_hex", "secrets.randbelow");

    private static readonly HashSet<string> SeedTakers = Set(
        "random.seed", "random.Random", "numpy.random.seed", "numpy.random.default_rng", "numpy.random.RandomState",
        "numpy.random.SeedSequence", "torch.manual_seed", "torch.random.manual_seed", "torch.cuda.manual_seed",
        "torch.cuda.manual_seed_all", "tensorflow.random.set_seed", "tensorflow.set_random_seed", "tensorflow.compat.v1.set_random_seed");

    private static readonly HashSet<string> Listings = Set(
        "os.listdir", "os.scandir", "glob.glob", "glob.iglob", "pathlib.Path().glob", "pathlib.Path().rglob", "pathlib.Path().iterdir");

    private static readonly HashSet<string> OrderInsensitive = Set(
        "builtins.sorted", "builtins.len", "builtins.set", "builtins.frozenset", "builtins.sum", "builtins.max", "builtins.min",
        "builtins.any", "builtins.all");

    private static readonly HashSet<string> CudaAtomicMethods = Set(
        "index_add_", "index_add", "scatter_add_", "scatter_add", "scatter_reduce", "scatter_reduce_", "index_put_", "index_put",
        "put_", "index_copy_", "index_copy", "histc", "bincount", "kthvalue");

    private static readonly HashSet<string> CudaNondeterministicModules = Set(
        "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool2d", "AvgPool3d", "MaxPool3d", "FractionalMaxPool2d",
        "FractionalMaxPool3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
        "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CTCLoss", "UpsamplingBilinear2d",
        "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool2d", "avg_pool3d", "max_pool3d", "fractional_max_pool2d",
        "fractional_max_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d", "grid_sample", "ctc_loss", "upsample_bilinear");

    private static readonly HashSet<string> LinearModes = Set("linear", "bilinear", "bicubic", "trilinear");

    public IReadOnlyList<RuleDescriptor> Rules { get; } =
    [
        LintRules.Det001, LintRules.Det002, LintRules.Det003, LintRules.Det004, LintRules.Det005, LintRules.Det006,
        LintRules.Det007, LintRules.Det008, LintRules.Det009, LintRules.Det010, LintRules.Det011,
    ];

    public void Check(LintContext context)
    {
        UnseededLibraries(context);
        Cudnn(context);
        DataLoaders(context);
        HashSeed(context);
        Estimators(context);
        ClockSeeds(context);
        Listing(context);
        CudaOps(context);
        Tensorflow(context);
        Boosting(context);
    }

    // DET001
    private static void UnseededLibraries(LintContext context)
    {
        // A call to a helper of the project's own whose name says "seed" (set_seed, seed_everything
        // from utils) is taken to seed everything: its body may live in another file.
        var ownSeeder = context.Calls.Any(c => IsOwnSeeder(c.Call, c.Callee));
        var seedAll = ownSeeder || context.AnyCall(SeedAll.Contains);

        Library(context, "Python's random", "random.seed(...)", seedAll, q => q == "random.seed",
            q => q.StartsWith("random.", StringComparison.Ordinal) && PythonRandom.Contains(q["random.".Length..]));
        Library(context, "NumPy's global", "numpy.random.seed(...) (or use a seeded numpy.random.default_rng(seed))", seedAll, q => q == "numpy.random.seed",
            q => q.StartsWith("numpy.random.", StringComparison.Ordinal) && q.Count(ch => ch == '.') == 2 && !q.Contains('(', StringComparison.Ordinal) && !NumpyNotDrawing.Contains(Py.Last(q)));
        Library(context, "PyTorch's", "torch.manual_seed(...)", seedAll, q => q is "torch.manual_seed" or "torch.random.manual_seed",
            q => TorchRandom.Contains(q) || q.StartsWith("torch.nn.init.", StringComparison.Ordinal)
                || (q.StartsWith("torch.nn.", StringComparison.Ordinal) && q.Count(ch => ch == '.') == 2 && TorchInitialised.Contains(Py.Last(q))));
        Library(context, "TensorFlow's", "tf.random.set_seed(...) (or tf.keras.utils.set_random_seed)", seedAll, TensorflowSeeds.Contains,
            q => (q.StartsWith("tensorflow.random.", StringComparison.Ordinal) && !q.Contains('(', StringComparison.Ordinal) && Py.Last(q) is not ("set_seed" or "Generator"))
                || (Keras(q) is { } k && ((k.StartsWith("keras.layers.", StringComparison.Ordinal) && KerasInitialised.Contains(Py.Last(k))) || k.StartsWith("keras.initializers.", StringComparison.Ordinal))));

        // Generators created without a seed draw fresh OS entropy whatever the global seeds are.
        foreach (var (call, callee) in context.Calls)
        {
            if (callee is "numpy.random.default_rng" or "numpy.random.RandomState" or "random.Random"
                && Py.Args(call).Count == 0 && Py.Keyword(call, "seed") is null && !Py.HasSplat(call))
            {
                context.Add(LintRules.Det001, call, $"{callee}() without a seed starts from fresh OS entropy on every run: pass a seed");
            }
        }
    }

    private static bool IsOwnSeeder(PyNode call, string? callee)
    {
        var name = call.Node("func") is { } f ? (f.Is("Name") ? f.Text("id") : f.Is("Attribute") ? f.Text("attr") : null) : null;
        if (name is null || !name.Contains("seed", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return callee is null || callee.StartsWith("<local>", StringComparison.Ordinal) || !(callee.StartsWith("random.", StringComparison.Ordinal)
            || callee.StartsWith("numpy.", StringComparison.Ordinal) || callee.StartsWith("torch.", StringComparison.Ordinal)
            || callee.StartsWith("tensorflow.", StringComparison.Ordinal) || callee.StartsWith("keras.", StringComparison.Ordinal));
    }

    private static void Library(LintContext context, string library, string fix, bool seedAll, Func<string, bool> seeds, Func<string, bool> draws)
    {
        var first = context.Calls.FirstOrDefault(c => c.Callee is not null && draws(c.Callee));
        if (first.Call is null || seedAll)
        {
            return;
        }

        var seeding = context.CallsTo(seeds).ToList();
        if (seeding.Count == 0)
        {
            context.Add(LintRules.Det001, first.Call, $"{first.Callee} draws from {library} generator, but it is never seeded: call {fix}");
        }
        else if (TopLevel(first.Call) && seeding.All(TopLevel) && seeding.All(seed => Position(seed).CompareTo(Position(first.Call)) > 0))
        {
            // Both at module level (or in notebook cells), in order: the first draws happen unseeded.
            context.Add(LintRules.Det001, first.Call, $"{first.Callee} draws from {library} generator before it is seeded ({Where(seeding[0])}): seed first");
        }
    }

    private static bool TopLevel(PyNode node)
    {
        for (var up = node.Parent; up is not null; up = up.Parent)
        {
            if (up.Is("FunctionDef") || up.Is("AsyncFunctionDef") || up.Is("Lambda") || up.Is("ClassDef"))
            {
                return false;
            }
        }

        return true;
    }

    private static (int Cell, int Line, int Column) Position(PyNode node) => (node.Cell ?? 0, node.Line, node.Column);

    private static string Where(PyNode node) => node.Cell is { } cell
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"cell {cell} line {node.Line}")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {node.Line}");

    // DET002, DET003
    private static void Cudnn(LintContext context)
    {
        if (!context.Names.Imports("torch"))
        {
            return;
        }

        var deterministicAlgorithms = context.CallsTo(q => q == "torch.use_deterministic_algorithms")
            .Where(c => Py.IsTrue(Py.FirstArg(c) ?? Py.Keyword(c, "mode"))).ToList();
        var cudnnDeterministic = false;
        foreach (var assign in context.Nodes.Where(n => n.Is("Assign")))
        {
            foreach (var target in assign.Nodes("targets"))
            {
                var name = context.Names.Qualify(target);
                if (name == "torch.backends.cudnn.benchmark" && Py.IsTrue(assign.Node("value")))
                {
                    context.Add(LintRules.Det002, assign, "torch.backends.cudnn.benchmark = True lets cuDNN pick the fastest algorithm per run, which can differ between runs: set it to False");
                }
                else if (name == "torch.backends.cudnn.deterministic" && Py.IsTrue(assign.Node("value")))
                {
                    cudnnDeterministic = true;
                }
            }
        }

        var cuda = FirstCudaUse(context);
        if (cuda is not null && !cudnnDeterministic && deterministicAlgorithms.Count == 0)
        {
            context.Add(LintRules.Det002, cuda, "CUDA is used, but cuDNN determinism is never requested: set torch.backends.cudnn.deterministic = True (or call torch.use_deterministic_algorithms(True))");
        }

        var workspace = context.Nodes.Any(n => Py.String(n) is { } s && s.Contains("CUBLAS_WORKSPACE_CONFIG", StringComparison.Ordinal));
        if (!workspace)
        {
            foreach (var call in deterministicAlgorithms)
            {
                context.Add(LintRules.Det003, call, "torch.use_deterministic_algorithms(True) needs CUBLAS_WORKSPACE_CONFIG=:4096:8 for CUDA matmuls: set it in the environment (repro run --deterministic does) or in os.environ before CUDA starts");
            }
        }
    }

    /// <summary>Where the script first puts work on a GPU: .cuda(), torch.device("cuda"), .to("cuda"), device="cuda".</summary>
    private static PyNode? FirstCudaUse(LintContext context)
    {
        // device = "cuda" if torch.cuda.is_available() else "cpu"; model.to(device)
        var device = context.Nodes.FirstOrDefault(n => Py.String(n) is { } s && (s == "cuda" || (s.StartsWith("cuda:", StringComparison.Ordinal) && s.Length > 5 && s[5..].All(char.IsAsciiDigit)))
            && !(n.Parent is { } p && p.Is("Expr")));
        if (device is not null)
        {
            return device;
        }

        foreach (var (call, callee) in context.Calls)
        {
            if (Py.Method(call) == "cuda" && !(callee?.StartsWith("torch.cuda", StringComparison.Ordinal) ?? false))
            {
                return call;
            }

            var mentionsCuda = Py.Args(call).Concat(call.Nodes("keywords").Where(k => k.Text("arg") == "device").Select(k => k.Node("value")!))
                .Any(a => a.Walk().Any(n => Py.String(n) is { } s && s.StartsWith("cuda", StringComparison.Ordinal)));
            if (mentionsCuda && (callee == "torch.device" || Py.Method(call) == "to" || call.Nodes("keywords").Any(k => k.Text("arg") == "device")))
            {
                return call;
            }
        }

        return null;
    }

    // DET004
    private static void DataLoaders(LintContext context)
    {
        foreach (var call in context.CallsTo(q => q is "torch.utils.data.DataLoader" or "torch.utils.data.dataloader.DataLoader"))
        {
            if (Py.HasSplat(call))
            {
                continue;
            }

            if (Py.IsTrue(Py.Keyword(call, "shuffle")) && Py.Keyword(call, "generator") is null)
            {
                context.Add(LintRules.Det004, call, "DataLoader(shuffle=True) without generator=: pass generator=torch.Generator().manual_seed(SEED) so the order repeats");
            }

            if (Py.Number(Py.Keyword(call, "num_workers")) is > 0 && Py.Keyword(call, "worker_init_fn") is null)
            {
                context.Add(LintRules.Det004, call, "DataLoader(num_workers>0) without worker_init_fn=: seed numpy and random in each worker (see PyTorch's seed_worker example)");
            }
        }
    }

    // DET005
    private static void HashSeed(LintContext context)
    {
        const string Message = "PYTHONHASHSEED set inside the script has no effect on this process (Python read it at start-up): set it before starting Python, e.g. repro run --seed";
        foreach (var node in context.Nodes)
        {
            if (node.Is("Assign") && node.Nodes("targets").Any(t => t.Is("Subscript") && context.Names.Qualify(t.Node("value")) == "os.environ" && Py.String(Slice(t)) == "PYTHONHASHSEED"))
            {
                context.Add(LintRules.Det005, node, Message);
            }
            else if (node.Is("Call") && context.Names.Callee(node) is "os.environ.setdefault" or "os.putenv" or "os.environ.update" or "os.environ.__setitem__"
                && (Py.Args(node).Any(a => a.Walk().Any(n => Py.String(n) == "PYTHONHASHSEED")) || Py.Keyword(node, "PYTHONHASHSEED") is not null))
            {
                context.Add(LintRules.Det005, node, Message);
            }
        }
    }

    private static PyNode? Slice(PyNode subscript)
    {
        var slice = subscript.Node("slice");
        return slice is not null && slice.Is("Index") ? slice.Node("value") : slice;
    }

    // DET006
    private static void Estimators(LintContext context)
    {
        foreach (var (call, callee) in context.Calls)
        {
            if (callee is null || !(callee.StartsWith("sklearn.", StringComparison.Ordinal) || callee.StartsWith("imblearn.", StringComparison.Ordinal)) || Py.HasSplat(call))
            {
                continue;
            }

            var name = Py.Last(callee);
            var random = SklearnAlwaysRandom.Contains(name) || SklearnRandomFamilies.Any(f => name.StartsWith(f, StringComparison.Ordinal))
                || callee.StartsWith("sklearn.datasets.make_", StringComparison.Ordinal)
                || (name == "PCA" && Py.String(Py.Keyword(call, "svd_solver")) is "randomized" or "arpack")
                || (name is "KFold" or "StratifiedKFold" or "GroupKFold" or "StratifiedGroupKFold" && Py.IsTrue(Py.Keyword(call, "shuffle")));
            if (name == "train_test_split" && Py.Keyword(call, "shuffle")?.ConstantValue is false)
            {
                random = false;
            }

            var state = Py.Keyword(call, "random_state");
            if (random && (state is null || Py.IsNone(state)))
            {
                context.Add(LintRules.Det006, call, $"{name}(...) uses randomness but has no random_state: pass random_state=<int>");
            }
        }
    }

    // DET007
    private static void ClockSeeds(LintContext context)
    {
        var clocked = new HashSet<string>(StringComparer.Ordinal);
        bool FromClock(PyNode? expression) => expression is not null && expression.Walk().Any(n =>
            (n.Is("Call") && context.Names.Callee(n) is { } q && Clock.Contains(q)) || (n.Is("Name") && clocked.Contains(n.Text("id")!)));

        // Two passes reach seeds derived in two steps (t = time.time(); seed = int(t)).
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var assign in context.Nodes.Where(n => n.Is("Assign") && FromClock(n.Node("value"))))
            {
                foreach (var target in assign.Nodes("targets").SelectMany(t => t.Walk()).Where(t => t.Is("Name")))
                {
                    clocked.Add(target.Text("id")!);
                }
            }
        }

        foreach (var (call, callee) in context.Calls)
        {
            var seed = callee is not null && (SeedTakers.Contains(callee) || SeedAll.Contains(callee)) ? Py.FirstArg(call) ?? Py.Keyword(call, "seed") : null;
            foreach (var candidate in new[] { seed, Py.Keyword(call, "random_state"), Py.Keyword(call, "seed"), Py.Keyword(call, "random_seed") }.Distinct())
            {
                if (FromClock(candidate))
                {
                    context.Add(LintRules.Det007, call, "the seed comes from the clock, uuid or os.urandom, so it differs on every run: use a fixed seed or take it from the command line (REPRO_SEED)");
                    break;
                }
            }
        }
    }

    // DET008
    private static void Listing(LintContext context)
    {
        var sortedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (call, callee) in context.Calls)
        {
            if (Py.Method(call) == "sort" && Py.Receiver(call) is { } r && r.Is("Name"))
            {
                sortedNames.Add(r.Text("id")!);
            }
            else if (callee is not null && OrderInsensitive.Contains(callee))
            {
                foreach (var argument in Py.Args(call).Where(a => a.Is("Name")))
                {
                    sortedNames.Add(argument.Text("id")!);
                }
            }
        }

        foreach (var (call, callee) in context.Calls)
        {
            if (callee is null || !Listings.Contains(callee))
            {
                continue;
            }

            var consumer = call.Parent;
            while (consumer is not null && (consumer.Is("comprehension") || consumer.Is("GeneratorExp") || consumer.Is("ListComp") || consumer.Is("Attribute")))
            {
                consumer = consumer.Parent;
            }

            var harmless = consumer is not null && (
                (consumer.Is("Call") && context.Names.Callee(consumer) is { } q && OrderInsensitive.Contains(q))
                || consumer.Is("Compare") || consumer.Is("SetComp")
                || (consumer.Is("Assign") && consumer.Nodes("targets") is [{ } t] && t.Is("Name") && sortedNames.Contains(t.Text("id")!)));
            if (!harmless)
            {
                var name = callee.Replace("pathlib.Path().", "Path.", StringComparison.Ordinal);
                context.Add(LintRules.Det008, call, $"{name}() returns files in file-system order, which differs between machines: wrap it in sorted()");
            }
        }
    }

    // DET009
    private static void CudaOps(LintContext context)
    {
        if (!context.Names.Imports("torch") || FirstCudaUse(context) is null
            || context.CallsTo(q => q == "torch.use_deterministic_algorithms").Any(c => Py.IsTrue(Py.FirstArg(c) ?? Py.Keyword(c, "mode"))))
        {
            return;
        }

        foreach (var (call, callee) in context.Calls)
        {
            string? op = null;
            var method = Py.Method(call);
            if (method is not null && CudaAtomicMethods.Contains(method) && (callee is null || callee.StartsWith("torch", StringComparison.Ordinal))
                && (method is not ("index_put_" or "index_put") || Py.IsTrue(Py.Keyword(call, "accumulate")))
                && (method != "bincount" || Py.Keyword(call, "weights") is not null))
            {
                op = method;
            }
            else if (callee is not null && callee.StartsWith("torch.nn.", StringComparison.Ordinal))
            {
                var name = Py.Last(callee);
                if (CudaNondeterministicModules.Contains(name)
                    || (name is "interpolate" or "upsample" or "Upsample" && Py.String(Py.Keyword(call, "mode")) is { } mode && LinearModes.Contains(mode))
                    || (name is "EmbeddingBag" or "embedding_bag" && Py.String(Py.Keyword(call, "mode")) == "max")
                    || (name == "pad" && Py.String(Py.Keyword(call, "mode")) is "reflect" or "replicate"))
                {
                    op = callee;
                }
            }

            if (op is not null)
            {
                context.Add(LintRules.Det009, call, $"{op} is non-deterministic on CUDA (atomic adds): call torch.use_deterministic_algorithms(True) to get a deterministic kernel or an error");
            }
        }
    }

    // DET010
    private static void Tensorflow(LintContext context)
    {
        if (!context.Names.Imports("tensorflow"))
        {
            return;
        }

        var first = context.Calls.FirstOrDefault(c => c.Callee is not null && (c.Callee.StartsWith("tensorflow", StringComparison.Ordinal) || c.Callee.StartsWith("keras", StringComparison.Ordinal)));
        if (first.Call is null)
        {
            return;
        }

        var seeded = context.AnyCall(TensorflowSeeds.Contains) || context.Calls.Any(c => IsOwnSeeder(c.Call, c.Callee));
        var deterministic = context.AnyCall(q => q == "tensorflow.config.experimental.enable_op_determinism")
            || context.Nodes.Any(n => Py.String(n) == "TF_DETERMINISTIC_OPS");
        var missing = new List<string>();
        if (!seeded)
        {
            missing.Add("tf.keras.utils.set_random_seed(SEED)");
        }

        if (!deterministic)
        {
            missing.Add("tf.config.experimental.enable_op_determinism()");
        }

        if (missing.Count > 0)
        {
            context.Add(LintRules.Det010, first.Call, $"TensorFlow is used without {string.Join(" and ", missing)}");
        }
    }

    // DET011
    private static void Boosting(LintContext context)
    {
        foreach (var (call, callee) in context.Calls)
        {
            if (callee is null || Py.HasSplat(call))
            {
                continue;
            }

            if (callee is "xgboost.XGBClassifier" or "xgboost.XGBRegressor" or "xgboost.XGBRanker" or "xgboost.XGBRFClassifier" or "xgboost.XGBRFRegressor"
                or "xgboost.sklearn.XGBClassifier" or "xgboost.sklearn.XGBRegressor")
            {
                if (!HasSeed(Py.Keyword(call, "random_state")) && !HasSeed(Py.Keyword(call, "seed")))
                {
                    context.Add(LintRules.Det011, call, $"{Py.Last(callee)}(...) without random_state: pass random_state=<int>");
                }
            }
            else if (callee is "lightgbm.LGBMClassifier" or "lightgbm.LGBMRegressor" or "lightgbm.LGBMRanker" or "lightgbm.LGBMModel"
                or "lightgbm.sklearn.LGBMClassifier" or "lightgbm.sklearn.LGBMRegressor")
            {
                var missing = new List<string>();
                if (!HasSeed(Py.Keyword(call, "random_state")) && !HasSeed(Py.Keyword(call, "seed")))
                {
                    missing.Add("random_state=<int>");
                }

                if (!Py.IsTrue(Py.Keyword(call, "deterministic")))
                {
                    missing.Add("deterministic=True");
                }

                if (missing.Count > 0)
                {
                    context.Add(LintRules.Det011, call, $"{Py.Last(callee)}(...) is not repeatable: pass {string.Join(" and ", missing)}");
                }
            }
            else if (callee is "xgboost.train" or "xgboost.cv" or "lightgbm.train" or "lightgbm.cv")
            {
                var keys = ParamKeys(context, Py.FirstArg(call) ?? Py.Keyword(call, "params"));
                if (keys is null)
                {
                    continue;
                }

                var missing = new List<string>();
                if (!keys.Overlaps(["seed", "random_state", "random_seed"]))
                {
                    missing.Add("\"seed\"");
                }

                if (callee.StartsWith("lightgbm", StringComparison.Ordinal) && !keys.Contains("deterministic"))
                {
                    missing.Add("\"deterministic\": True");
                }

                if (missing.Count > 0)
                {
                    context.Add(LintRules.Det011, call, $"{callee}(params) without {string.Join(" and ", missing)} in params");
                }
            }
        }
    }

    private static bool HasSeed(PyNode? value) => value is not null && !Py.IsNone(value);

    /// <summary>The keys of a params dict written in the script (a literal or dict(...)), or null when unknown.</summary>
    private static HashSet<string>? ParamKeys(LintContext context, PyNode? expression)
    {
        if (expression is not null && expression.Is("Name"))
        {
            var name = expression.Text("id");
            var assigns = context.Nodes.Where(n => n.Is("Assign") && n.Nodes("targets") is [{ } t] && t.Is("Name") && t.Text("id") == name).ToList();
            if (assigns.Count != 1 || context.Nodes.Any(n => n.Is("Subscript") && n.Node("value") is { } v && v.Is("Name") && v.Text("id") == name && n.Parent is { } p && p.Is("Assign")))
            {
                return null;
            }

            expression = assigns[0].Node("value");
        }

        if (expression is null)
        {
            return null;
        }

        if (expression.Is("Dict"))
        {
            var keys = expression.Nodes("keys");
            return keys.All(k => Py.String(k) is not null) && keys.Count == expression.Nodes("values").Count ? keys.Select(k => Py.String(k)!).ToHashSet(StringComparer.Ordinal) : null;
        }

        if (expression.Is("Call") && context.Names.Callee(expression) == "builtins.dict" && Py.Args(expression).Count == 0 && !Py.HasSplat(expression))
        {
            return expression.Nodes("keywords").Select(k => k.Text("arg")!).ToHashSet(StringComparer.Ordinal);
        }

        return null;
    }

    private static string? Keras(string qualified) =>
        qualified.StartsWith("tensorflow.keras.", StringComparison.Ordinal) ? qualified["tensorflow.".Length..]
        : qualified.StartsWith("keras.", StringComparison.Ordinal) ? qualified : null;

    private static HashSet<string> Set(params string[] items) => new(items, StringComparer.Ordinal);
}
