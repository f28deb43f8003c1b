using System.Collections.Immutable;

namespace Repro.Checks.Lint;

/// <summary>
/// Walks statements in order (a notebook's cells one after another; each function body on its own)
/// and follows data through variables: where it is split, which preprocessing saw it before the
/// split, which models were fitted and scored on what. Branches and loop bodies are taken once, in
/// order. What it cannot follow (a helper in another file, a slice with both bounds) it leaves alone.
/// </summary>
public sealed class LeakageFlow
{
    private static readonly HashSet<string> Preprocessors = new(StringComparer.Ordinal)
    {
        "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "QuantileTransformer", "PowerTransformer",
        "KBinsDiscretizer", "SimpleImputer", "KNNImputer", "IterativeImputer", "TargetEncoder",
        "PCA", "KernelPCA", "IncrementalPCA", "TruncatedSVD", "FactorAnalysis", "FastICA", "NMF", "CountVectorizer",
        "TfidfVectorizer", "TfidfTransformer", "DictVectorizer", "SplineTransformer", "ColumnTransformer", "FeatureUnion",
    };

    // Encoders that learn only a column's vocabulary (OneHotEncoder, OrdinalEncoder, LabelEncoder,
    // get_dummies) carry no statistic of the rows: fitted before the split they are not reported.
    private static readonly HashSet<string> VocabularyEncoders = new(StringComparer.Ordinal)
    {
        "OneHotEncoder", "OrdinalEncoder", "LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer", "BinaryEncoder", "BaseNEncoder", "HashingEncoder",
    };

    private static readonly HashSet<string> Selectors = new(StringComparer.Ordinal)
    {
        "SelectKBest", "SelectPercentile", "SelectFpr", "SelectFdr", "SelectFwe", "GenericUnivariateSelect", "RFE", "RFECV",
        "SelectFromModel", "VarianceThreshold", "SequentialFeatureSelector",
    };

    private static readonly HashSet<string> Oversamplers = new(StringComparer.Ordinal)
    {
        "SMOTE", "ADASYN", "BorderlineSMOTE", "SVMSMOTE", "KMeansSMOTE", "SMOTENC", "SMOTEN", "RandomOverSampler", "SMOTETomek", "SMOTEENN",
    };

    private static readonly HashSet<string> Splitters = new(StringComparer.Ordinal)
    {
        "KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold", "ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit",
        "RepeatedKFold", "RepeatedStratifiedKFold", "LeaveOneOut", "LeavePOut", "LeaveOneGroupOut", "LeavePGroupsOut", "TimeSeriesSplit",
        "PredefinedSplit",
    };

    private static readonly HashSet<string> Searches = new(StringComparer.Ordinal)
    {
        "GridSearchCV", "RandomizedSearchCV", "HalvingGridSearchCV", "HalvingRandomSearchCV", "BayesSearchCV",
    };

    private static readonly HashSet<string> CrossValidation = new(StringComparer.Ordinal)
    {
        "cross_val_score", "cross_validate", "cross_val_predict", "learning_curve", "validation_curve", "permutation_test_score",
    };

    private static readonly HashSet<string> Reductions = new(StringComparer.Ordinal) { "mean", "median", "std", "var", "mode", "quantile", "min", "max" };

    private static readonly HashSet<string> NumpyReductions = new(StringComparer.Ordinal)
    {
        "numpy.mean", "numpy.median", "numpy.std", "numpy.var", "numpy.nanmean", "numpy.nanmedian", "numpy.nanstd", "numpy.nanvar",
        "numpy.percentile", "numpy.quantile", "numpy.nanpercentile", "numpy.min", "numpy.max", "numpy.amin", "numpy.amax",
    };

    // Methods that put values of one frame on the rows of another (by key or by index).
    private static readonly HashSet<string> JoinMethods = new(StringComparer.Ordinal)
    {
        "map", "merge", "join", "replace", "fillna", "combine_first", "update", "where", "mask", "sub", "div", "add", "mul", "subtract", "divide",
    };

    private static readonly HashSet<string> Predictions = new(StringComparer.Ordinal) { "predict", "predict_proba", "predict_log_proba", "decision_function", "predict_classes" };

    private readonly NameResolver _names;
    private readonly Dictionary<int, int> _fitted = [];
    private readonly List<FitEvent> _fits = [];
    private readonly List<SplitEvent> _splits = [];
    private readonly List<(int Fit, int Order, PyNode Node)> _transforms = [];
    private readonly List<ScoreEvent> _scores = [];
    private readonly List<(ImmutableHashSet<int> Atoms, PyNode Node)> _modelFits = [];
    private readonly List<PyNode> _searchesOnTest = [];
    private readonly List<(PyNode Call, string Keyword)> _monitoredOnTest = [];
    private readonly List<(PyNode Chooser, PyNode Scored)> _chosenOnTest = [];
    private readonly List<MonitoredFold> _monitoredFolds = [];
    private readonly List<MixedFit> _mixedFits = [];
    private readonly List<TrainEvent> _trained = [];

    // Slices by position not yet matched by one of the other side (see PositionalSplit).
    private readonly List<(DataPart Part, ImmutableHashSet<int> Atoms, ImmutableHashSet<int> Taints)> _slices = [];

    // Objects some fit call trained (their ids), so a helper given one scores that model.
    private readonly HashSet<int> _trainedModels = [];
    private readonly Dictionary<string, PyNode> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, PyNode>> _classes = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Object, string Attribute), FlowValue> _fields = [];
    private readonly Stack<PyNode> _inlining = new();
    private readonly Stack<List<FlowValue>> _returns = new();
    private readonly Stack<Dictionary<string, FlowValue>> _enclosing = new();
    private Dictionary<string, FlowValue> _env = new(StringComparer.Ordinal);
    private Dictionary<string, FlowValue> _globals = new(StringComparer.Ordinal);
    private HashSet<string> _globalNames = new(StringComparer.Ordinal);
    private int _inlinedStatements;
    private int _nextAtom;
    private int _order;
    private int _loopDepth;
    private bool _inFunction;

    /// <summary>The class of an object built from a class the program defines: "user:" and its name.</summary>
    private const string UserClass = "user:";

    /// <summary>How deep calls of the program's own functions are followed (a helper calling a helper calling a helper).</summary>
    public const int MaxCallDepth = 4;

    /// <summary>Statements run inside followed calls, per program: past it, calls are opaque again, so time stays linear.</summary>
    public const int MaxInlinedStatements = 50_000;

    /// <summary>Slices by position remembered while waiting for one of the other side, per program.</summary>
    private const int MaxSlices = 1_000;

    public LeakageFlow(NameResolver names, IEnumerable<PyNode> functions)
        : this(names, functions, [])
    {
    }

    /// <summary>The program's module-level functions and classes: calls of them, and of the classes' methods, are followed.</summary>
    public LeakageFlow(NameResolver names, IEnumerable<PyNode> functions, IEnumerable<PyNode> classes)
    {
        _names = names;
        // The same name defined twice: the later definition wins, as when the program runs.
        foreach (var function in functions)
        {
            if (function.Text("name") is { } name)
            {
                _functions[name] = function;
            }
        }

        foreach (var definition in classes)
        {
            if (definition.Text("name") is { } name)
            {
                _classes[name] = definition.Nodes("body").Where(n => n.Is("FunctionDef") || n.Is("AsyncFunctionDef"))
                    .Where(n => n.Text("name") is not null)
                    .GroupBy(n => n.Text("name")!, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            }
        }
    }

    public IReadOnlyList<FitEvent> Fits => _fits;

    public IReadOnlyList<SplitEvent> Splits => _splits;

    public IReadOnlyList<(int Fit, int Order, PyNode Node)> Transforms => _transforms;

    /// <summary>Steps fitted on rows of both sides of a split (pd.concat([X_train, X_test])).</summary>
    public IReadOnlyList<MixedFit> MixedFits => _mixedFits;

    /// <summary>Model fits with the sources and preprocessing their training data carries and which side of a split it is.</summary>
    public IReadOnlyList<TrainEvent> Trained => _trained;

    public IReadOnlyList<ScoreEvent> Scores => _scores;

    public IReadOnlyList<(ImmutableHashSet<int> Atoms, PyNode Node)> ModelFits => _modelFits;

    /// <summary>Searches (GridSearchCV…) whose fit was given test data.</summary>
    public IReadOnlyList<PyNode> SearchesOnTest => _searchesOnTest;

    /// <summary>Fits that watch the test split while training (eval_set=, validation_data=).</summary>
    public IReadOnlyList<(PyNode Call, string Keyword)> MonitoredOnTest => _monitoredOnTest;

    /// <summary>Fits that watch a held-out fold named as test data for early stopping (validation_data=(x_test, y_test)).</summary>
    public IReadOnlyList<MonitoredFold> MonitoredFolds => _monitoredFolds;

    /// <summary>Metrics of the test split whose predictions carry a choice (a threshold) read off an earlier score of that split.</summary>
    public IReadOnlyList<(PyNode Chooser, PyNode Scored)> ChosenOnTest => _chosenOnTest;

    /// <summary>Whether cross-validation evaluates somewhere (held-out folds are scored).</summary>
    public bool CrossValidates { get; private set; }

    /// <summary>Runs one scope (the module, or a function body) with fresh variables.</summary>
    /// <summary>Runs the module's statements; its variables are then what function bodies see as globals.</summary>
    public void RunModule(IEnumerable<PyNode> statements)
    {
        _env = new Dictionary<string, FlowValue>(StringComparer.Ordinal);
        _inFunction = false;
        // Functions called from the module see its variables as they are at the call.
        _globals = _env;
        Block(statements);
    }

    /// <summary>Runs one function body with fresh locals; each parameter is data of its own.</summary>
    public void RunFunction(IEnumerable<PyNode> statements, IEnumerable<string> parameters)
    {
        _env = new Dictionary<string, FlowValue>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            _env[parameter] = Fresh();
        }

        _inFunction = true;
        Block(statements);
    }

    private void Block(IEnumerable<PyNode> statements)
    {
        foreach (var statement in statements)
        {
            Statement(statement);
        }
    }

    private void Statement(PyNode statement)
    {
        _order++;
        switch (statement.Type)
        {
            case "Assign":
                var value = Eval(statement.Node("value"));
                foreach (var target in statement.Nodes("targets"))
                {
                    Bind(target, value);
                }

                break;
            case "AnnAssign":
                if (statement.Node("value") is { } annotated)
                {
                    Bind(statement.Node("target")!, Eval(annotated));
                }

                break;
            case "AugAssign":
                Bind(statement.Node("target")!, FlowValue.Union(Eval(statement.Node("target")), Eval(statement.Node("value"))), merge: true);
                break;
            case "Expr":
                Eval(statement.Node("value"));
                break;
            case "Return":
                var returned = Eval(statement.Node("value"));
                if (_returns.Count > 0)
                {
                    _returns.Peek().Add(returned);
                }

                break;
            case "Global":
                foreach (var name in statement.Strings("names"))
                {
                    _globalNames.Add(name);
                }

                break;
            case "For":
            case "AsyncFor":
                var iterated = Eval(statement.Node("iter"));
                var each = EachOf(iterated);
                _loopDepth++;
                Bind(statement.Node("target")!, each);
                Block(statement.Nodes("body"));
                _loopDepth--;
                Block(statement.Nodes("orelse"));
                break;
            case "While":
                Eval(statement.Node("test"));
                _loopDepth++;
                Block(statement.Nodes("body"));
                _loopDepth--;
                Block(statement.Nodes("orelse"));
                break;
            case "If":
                Eval(statement.Node("test"));
                Block(statement.Nodes("body"));
                Block(statement.Nodes("orelse"));
                break;
            case "With":
            case "AsyncWith":
                foreach (var item in statement.Nodes("items"))
                {
                    var context = Eval(item.Node("context_expr"));
                    if (item.Node("optional_vars") is { } name)
                    {
                        Bind(name, context);
                    }
                }

                Block(statement.Nodes("body"));
                break;
            case "Try":
            case "TryStar":
                Block(statement.Nodes("body"));
                foreach (var handler in statement.Nodes("handlers"))
                {
                    Block(handler.Nodes("body"));
                }

                Block(statement.Nodes("orelse"));
                Block(statement.Nodes("finalbody"));
                break;
            case "Match":
                var subject = Eval(statement.Node("subject")) with { Elements = null, Pairs = false };
                foreach (var matchCase in statement.Nodes("cases"))
                {
                    // Every name a pattern captures (case [x, *rest], {"k": v, **others}, C(a=b) as c) holds part of the subject.
                    foreach (var pattern in matchCase.Node("pattern")?.Walk() ?? [])
                    {
                        foreach (var captured in new[] { pattern.Text("name"), pattern.Text("rest") })
                        {
                            if (captured is not null && (pattern.Is("MatchAs") || pattern.Is("MatchStar") || pattern.Is("MatchMapping")))
                            {
                                _env[captured] = subject;
                            }
                        }
                    }

                    Eval(matchCase.Node("guard"));
                    Block(matchCase.Nodes("body"));
                }

                break;
            default:
                // def/class bodies are their own scopes; imports, pass, global, type aliases etc. carry no data.
                break;
        }
    }

    private void Bind(PyNode target, FlowValue value, bool merge = false)
    {
        switch (target.Type)
        {
            case "Name":
                var id = target.Text("id")!;
                if (value.Parts.HasFlag(DataPart.Test) && LooksLikeValidation(id))
                {
                    value = value with { Parts = (value.Parts & ~DataPart.Test) | DataPart.Validation };
                }

                if (_globalNames.Contains(id) && _inlining.Count > 0)
                {
                    _globals[id] = value;
                }

                _env[id] = value;
                break;
            case "Tuple":
            case "List":
                var targets = target.Nodes("elts");
                if (value.Elements is { } elements && elements.Count == targets.Count && !targets.Any(t => t.Is("Starred")))
                {
                    for (var i = 0; i < targets.Count; i++)
                    {
                        Bind(targets[i], elements[i]);
                    }
                }
                else if (value.IsSource)
                {
                    foreach (var element in targets)
                    {
                        Bind(element, Fresh() with { IsSource = true });
                    }
                }
                else
                {
                    var whole = value.Elements is { } all ? FlowValue.Union(all) with { ObjectId = null } : value with { Elements = null, Pairs = false };
                    foreach (var element in targets)
                    {
                        Bind(element, whole);
                    }
                }

                break;
            case "Starred":
                Bind(target.Node("value")!, value);
                break;
            case "Subscript":
            case "Attribute":
                // df["col"] = …, self.x = …: the container now also holds the value.
                var root = target;
                while (root is not null && (root.Is("Subscript") || root.Is("Attribute")))
                {
                    root = root.Node("value");
                }

                if (root is not null && root.Is("Name"))
                {
                    var name = root.Text("id")!;
                    var old = Eval(root);
                    // self.scaler = StandardScaler(): the object's field, read back by its methods.
                    if (target.Is("Attribute") && ReferenceEquals(target.Node("value"), root) && old.ObjectId is { } owner && old.Class?.StartsWith(UserClass, StringComparison.Ordinal) == true)
                    {
                        _fields[(owner, target.Text("attr")!)] = value;
                    }

                    var slice = target.Is("Subscript") ? Eval(target.Node("slice")) : FlowValue.Empty;
                    var joined = FlowValue.Union(old, value, slice);
                    _env[name] = old with
                    {
                        Atoms = joined.Atoms,
                        Taints = joined.Taints,
                        Aggregates = joined.Aggregates,
                        Parts = old.Parts | value.Parts,
                    };
                }

                break;
            default:
                if (merge)
                {
                    Eval(target);
                }

                break;
        }
    }

    private FlowValue Lookup(string id)
    {
        if (_env.TryGetValue(id, out var known))
        {
            return known;
        }

        // A function followed from its caller sees the caller's variables (closures), then the module's.
        foreach (var scope in _enclosing)
        {
            if (scope.TryGetValue(id, out var outer))
            {
                return outer;
            }
        }

        // Unknown names (builtins, names from elsewhere) carry no data: nothing to follow.
        return _globals.GetValueOrDefault(id, FlowValue.Empty);
    }

    /// <summary>
    /// Follows a call of the program's own function: its parameters hold what the call passed,
    /// its body runs here (so a split or a fit inside happens at the call), and what it returns
    /// is the call's value. Null when it cannot be followed (recursion, too deep, past the budget).
    /// </summary>
    /// <summary>
    /// A helper that changes a frame it was given in place (def preprocess(df): df[c] = df[c].fillna(df[c].median()))
    /// changes the caller's variable: what a parameter gained inside, and was never re-bound to a new
    /// object there, is merged into the name the caller passed.
    /// </summary>
    private void WriteBackMutations(PyNode function, PyNode call, List<PyNode> positional, List<FlowValue> args, Dictionary<string, FlowValue> inside)
    {
        var passed = Py.Args(call);
        if (passed.Count != args.Count || passed.Any(a => a.Is("Starred")))
        {
            return; // a method or a constructor: the receiver comes first and is no argument written out
        }

        HashSet<string>? rebound = null;
        for (var i = 0; i < Math.Min(positional.Count, passed.Count); i++)
        {
            var name = positional[i].Text("arg")!;
            if (!passed[i].Is("Name") || !inside.TryGetValue(name, out var after) || after.Taints.IsSubsetOf(args[i].Taints))
            {
                continue;
            }

            rebound ??= ReboundNames(function);
            if (!rebound.Contains(name))
            {
                Bind(passed[i], FlowValue.Union(args[i], after) with { ObjectId = args[i].ObjectId, Class = args[i].Class, Many = args[i].Many });
            }
        }
    }

    /// <summary>Names a function body (nested functions too) binds to a new object as a whole (df = df.copy(), for df in …).</summary>
    private static HashSet<string> ReboundNames(PyNode function)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in function.Nodes("body").SelectMany(b => b.Walk()))
        {
            IEnumerable<PyNode> targets = node.Type switch
            {
                "Assign" => node.Nodes("targets"),
                "AnnAssign" or "AugAssign" or "For" or "AsyncFor" or "NamedExpr" or "comprehension" => node.Node("target") is { } t ? [t] : [],
                "withitem" => node.Node("optional_vars") is { } v ? [v] : [],
                _ => [],
            };
            foreach (var target in targets.SelectMany(t => t.Is("Tuple") || t.Is("List") ? t.Nodes("elts") : [t]))
            {
                if (target.Is("Name"))
                {
                    names.Add(target.Text("id")!);
                }
            }
        }

        return names;
    }

    private FlowValue? Inline(PyNode function, PyNode call, List<FlowValue> args, Dictionary<string, FlowValue> keywords)
    {
        var body = function.Nodes("body");
        if (_inlining.Count >= MaxCallDepth || _inlining.Contains(function) || _inlinedStatements + body.Count > MaxInlinedStatements)
        {
            return null;
        }

        var locals = new Dictionary<string, FlowValue>(StringComparer.Ordinal);
        var parameters = function.Node("args");
        var positional = parameters is null ? [] : parameters.Nodes("posonlyargs").Concat(parameters.Nodes("args")).ToList();
        var defaults = parameters?.Nodes("defaults") ?? [];
        var starred = Py.Args(call).Any(a => a.Is("Starred"));
        var unbound = new List<string>();
        for (var i = 0; i < positional.Count; i++)
        {
            var name = positional[i].Text("arg")!;
            var defaultIndex = i - (positional.Count - defaults.Count);
            if (starred)
            {
                locals[name] = FlowValue.Union(args);
            }
            else if (i < args.Count)
            {
                locals[name] = args[i];
            }
            else if (keywords.TryGetValue(name, out var passed))
            {
                locals[name] = passed;
            }
            else if (defaultIndex >= 0)
            {
                locals[name] = Eval(defaults[defaultIndex]);
                unbound.Add(name);
            }
            else
            {
                unbound.Add(name);
            }
        }

        var keywordOnly = parameters?.Nodes("kwonlyargs") ?? [];
        var keywordDefaults = parameters?.NodesWithGaps("kw_defaults") ?? [];
        for (var i = 0; i < keywordOnly.Count; i++)
        {
            var name = keywordOnly[i].Text("arg")!;
            if (keywords.TryGetValue(name, out var passed))
            {
                locals[name] = passed;
            }
            else
            {
                if (i < keywordDefaults.Count && keywordDefaults[i] is { } fallback)
                {
                    locals[name] = Eval(fallback);
                }

                unbound.Add(name);
            }
        }

        if (parameters?.Node("vararg")?.Text("arg") is { } rest)
        {
            locals[rest] = FlowValue.Union(args.Skip(positional.Count)) with { Elements = args.Skip(positional.Count).ToList() };
        }

        var named = parameters?.Node("kwarg")?.Text("arg");
        var declared = positional.Concat(parameters?.Nodes("kwonlyargs") ?? []).Select(p => p.Text("arg")).ToHashSet(StringComparer.Ordinal);
        var extra = keywords.Where(k => !declared.Contains(k.Key)).Select(k => k.Value).ToList();
        if (named is not null)
        {
            locals[named] = FlowValue.Union(extra);
        }

        // f(**options): any parameter not passed by name may be in the mapping.
        if (keywords.TryGetValue("**", out var splat))
        {
            foreach (var name in unbound)
            {
                locals[name] = locals.TryGetValue(name, out var had) ? FlowValue.Union(had, splat) : splat;
            }
        }

        _enclosing.Push(_env);
        _inlining.Push(function);
        _returns.Push([]);
        var savedGlobals = _globalNames;
        _env = locals;
        _globalNames = new HashSet<string>(StringComparer.Ordinal);
        _inlinedStatements += body.Count;
        var inside = locals;
        try
        {
            Block(body);
            inside = _env;
        }
        finally
        {
            _globalNames = savedGlobals;
            _env = _enclosing.Pop();
            _inlining.Pop();
        }

        WriteBackMutations(function, call, positional, args, inside);

        var results = _returns.Pop();
        if (results.Count == 0)
        {
            return FlowValue.Empty;
        }

        // return X_train, X_test: keep the tuple for unpacking when every return has the same shape.
        if (results.All(r => r.Elements is { } e && e.Count == results[0].Elements!.Count))
        {
            var elements = Enumerable.Range(0, results[0].Elements!.Count).Select(i => FlowValue.Union(results.Select(r => r.Elements![i]))).ToList();
            return FlowValue.Union(results) with { Elements = elements, Many = false };
        }

        return results.Count == 1 ? results[0] : FlowValue.Union(results);
    }

    // The program's own function, or a lambda, given to apply/pipe: followed with the frame as its first argument.
    private FlowValue? Applied(PyNode function, PyNode call, List<FlowValue> args, Dictionary<string, FlowValue> keywords)
    {
        if (function.Is("Name") && function.Text("id") is { } id && _functions.TryGetValue(id, out var definition) && !_env.ContainsKey(id))
        {
            return Inline(definition, call, args, keywords.Where(k => k.Key != "axis").ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal));
        }

        if (!function.Is("Lambda") || _inlining.Count >= MaxCallDepth)
        {
            return null;
        }

        var parameters = function.Node("args");
        var names = parameters is null ? [] : parameters.Nodes("posonlyargs").Concat(parameters.Nodes("args")).Select(a => a.Text("arg")).OfType<string>().ToList();
        var locals = new Dictionary<string, FlowValue>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            locals[names[i]] = i < args.Count ? args[i] : FlowValue.Empty;
        }

        _enclosing.Push(_env);
        _env = locals;
        try
        {
            return Eval(function.Node("body"));
        }
        finally
        {
            _env = _enclosing.Pop();
        }
    }

    /// <summary>A name whose words say test data: X_test, y_test, test_df, Xtest (not latest, testing, contest).</summary>
    public static bool LooksLikeTest(string name) =>
        name.ToLowerInvariant().Split('_', StringSplitOptions.RemoveEmptyEntries).Any(w => w is "test" or "xtest" or "ytest" or "tst");

    // score(X_test, y_test), accuracy_score(y_test, pred): the data scored is named as test data.
    // The named variable itself must hold data (not None passed for an optional test set); only in
    // the module's own code: a helper's parameter named X_test is whatever each caller passes.
    private bool NamesTest(PyNode call) => !_inFunction && _inlining.Count == 0 &&
        Py.Args(call).Concat(call.Nodes("keywords").Select(k => k.Node("value")).OfType<PyNode>())
            .Any(a => RootName(a) is { } name && LooksLikeTest(name) && !Lookup(name).Atoms.IsEmpty);

    // callbacks=[EarlyStopping(…)] or ModelCheckpoint(save_best_only=…), early_stopping_rounds= on the fit: what is watched chooses the model.
    private static bool StopsEarly(Dictionary<string, FlowValue> keywords) =>
        keywords.ContainsKey("early_stopping_rounds")
        || (keywords.TryGetValue("callbacks", out var callbacks) && (callbacks.Elements ?? [callbacks]).Any(c => c.Class is { } type && Py.Last(type) is "EarlyStopping" or "ModelCheckpoint" or "early_stopping"));

    // validation_data=(x_test, y_test): the data watched is named as test data, not as a validation set.
    private static bool NamedTestData(PyNode? value) =>
        value is not null && value.Walk().Any(n => n.Is("Name") && n.Text("id") is { } id && LooksLikeTest(id)) && !value.Walk().Any(n => n.Is("Name") && n.Text("id") is { } id && LooksLikeValidation(id));

    private static string? RootName(PyNode node)
    {
        var root = node;
        while (root is not null && (root.Is("Subscript") || root.Is("Attribute")))
        {
            root = root.Node("value");
        }

        return root is not null && root.Is("Name") ? root.Text("id") : null;
    }

    private static bool LooksLikeValidation(string name)
    {
        var lower = name.ToLowerInvariant();
        return lower.Contains("val", StringComparison.Ordinal) || lower.Contains("dev", StringComparison.Ordinal);
    }

    private FlowValue Fresh() => new() { Atoms = [_nextAtom++] };

    private FlowValue Eval(PyNode? node)
    {
        if (node is null)
        {
            return FlowValue.Empty;
        }

        switch (node.Type)
        {
            case "Name":
                var id = node.Text("id")!;
                // Unknown names (builtins, names from elsewhere) carry no data: nothing to follow.
                return Lookup(id);
            case "Constant":
                return FlowValue.Empty;
            case "Attribute":
                var owner = Eval(node.Node("value"));
                return owner.ObjectId is { } objectId && node.Text("attr") is { } attribute && _fields.TryGetValue((objectId, attribute), out var field)
                    ? field
                    : owner with { Elements = null, Pairs = false };
            case "Subscript":
                var container = Eval(node.Node("value"));
                var sliceNode = node.Node("slice");
                if (sliceNode is not null && sliceNode.Is("Index"))
                {
                    sliceNode = sliceNode.Node("value");
                }

                if (container.Elements is { } items && Py.Number(sliceNode) is { } index && index >= 0 && index < items.Count && index == Math.Floor(index))
                {
                    return items[(int)index];
                }

                // models["lr"] is one value; models[name] (a key not written out) may be any of several.
                var anyOf = container.Elements is { Count: > 1 } && sliceNode is not null && !sliceNode.Is("Constant");
                var key = Eval(sliceNode);
                var sliced = FlowValue.Joined(FlowValue.Union(container with { Elements = null, Many = container.Many || anyOf }, key), container, key);
                if (RowSlice(sliceNode) is { } part && !container.Atoms.IsEmpty && container.Parts == DataPart.None)
                {
                    if (Assigned(node))
                    {
                        PositionalSplit(node, part, container);
                    }

                    return sliced with { Parts = part };
                }

                return sliced;
            case "Call":
                return Call(node);
            case "Tuple":
            case "List":
            case "Set":
                var elements = node.Nodes("elts").Select(Eval).ToList();
                return FlowValue.Union(elements) with { Elements = elements, Many = false };
            case "Dict":
                var values = node.Nodes("values").Select(Eval).ToList();
                node.Nodes("keys").ToList().ForEach(k => Eval(k));
                return FlowValue.Union(values) with { Elements = values, Many = false };
            case "BinOp":
                var left = Eval(node.Node("left"));
                var right = Eval(node.Node("right"));
                return FlowValue.Joined(FlowValue.Union(left, right), left, right);
            case "NamedExpr":
                var assigned = Eval(node.Node("value"));
                Bind(node.Node("target")!, assigned);
                return assigned;
            case "ListComp" or "SetComp" or "GeneratorExp" or "DictComp":
                return Comprehension(node);
            default:
                return FlowValue.Union(node.Children().Select(Eval).ToList());
        }
    }

    /// <summary>[m.score(X_test, y_test) for m in models]: each target bound as a for loop's, the element evaluated as in a loop's body; the targets stay local to it.</summary>
    private FlowValue Comprehension(PyNode node)
    {
        var saved = new Dictionary<string, FlowValue?>(StringComparer.Ordinal);
        var parts = new List<FlowValue>();
        _loopDepth++;
        try
        {
            foreach (var generator in node.Nodes("generators"))
            {
                var iterated = Eval(generator.Node("iter"));
                parts.Add(iterated with { ObjectId = null, Class = null, Elements = null, Pairs = false });
                var each = EachOf(iterated);
                if (generator.Node("target") is { } target)
                {
                    foreach (var name in target.Walk().Where(n => n.Is("Name")).Select(n => n.Text("id")!))
                    {
                        saved.TryAdd(name, _env.GetValueOrDefault(name));
                    }

                    Bind(target, each);
                }

                parts.AddRange(generator.Nodes("ifs").Select(Eval));
            }

            foreach (var field in new[] { "elt", "key", "value" })
            {
                if (node.Node(field) is { } part)
                {
                    parts.Add(Eval(part));
                }
            }
        }
        finally
        {
            _loopDepth--;
            foreach (var (name, value) in saved)
            {
                if (value is null)
                {
                    _env.Remove(name);
                }
                else
                {
                    _env[name] = value;
                }
            }
        }

        return FlowValue.Union(parts);
    }

    /// <summary>What a loop's target is bound to at each step: a fold's pair, any element of a known list, or the data itself.</summary>
    private static FlowValue EachOf(FlowValue iterated) => iterated.Pairs ? iterated
        : iterated.Elements is { } elements ? FlowValue.Union(elements) with { Many = elements.Count > 1 }
        : iterated with { ObjectId = null, Elements = null };

    private FlowValue Call(PyNode call)
    {
        var callee = _names.Callee(call);
        var method = Py.Method(call);
        var receiver = method is not null && !IsModule(Py.Receiver(call)) ? Eval(Py.Receiver(call)) : null;
        var args = Py.Args(call).Select(Eval).ToList();
        // Every `**mapping` unpacking has no name: they are one "**" entry, their flows joined.
        var keywords = new Dictionary<string, FlowValue>(StringComparer.Ordinal);
        foreach (var keyword in call.Nodes("keywords"))
        {
            var key = keyword.Text("arg") ?? "**";
            var value = Eval(keyword.Node("value"));
            keywords[key] = keywords.TryGetValue(key, out var earlier) ? FlowValue.Union([earlier, value]) : value;
        }

        var all = FlowValue.Union(args.Concat(keywords.Values));
        if (callee is null && call.Node("func") is { } func && func.Is("Name") && _functions.TryGetValue(func.Text("id")!, out var function)
            && !_env.ContainsKey(func.Text("id")!) && Inline(function, call, args, keywords) is { } returned)
        {
            return returned;
        }

        // The program's own class: a new object whose __init__ runs with it as self.
        if (callee is null && call.Node("func") is { } type && type.Is("Name") && _classes.TryGetValue(type.Text("id")!, out var methods) && !_env.ContainsKey(type.Text("id")!))
        {
            var instance = Fresh() with { ObjectId = _nextAtom++, Class = UserClass + type.Text("id"), Many = _loopDepth > 0 };
            if (methods.TryGetValue("__init__", out var init))
            {
                Inline(init, call, [instance, .. args], keywords);
            }

            return instance;
        }

        // A method of the program's own class: followed with the object as self.
        if (receiver is { Class: { } userClass } && method is not null && userClass.StartsWith(UserClass, StringComparison.Ordinal)
            && _classes.TryGetValue(userClass[UserClass.Length..], out var ofClass) && ofClass.TryGetValue(method, out var body)
            && Inline(body, call, [receiver, .. args], keywords) is { } answered)
        {
            return answered;
        }

        var name = callee is null ? null : Py.Last(callee);
        var library = callee is not null && (callee.StartsWith("sklearn.", StringComparison.Ordinal) || callee.StartsWith("imblearn.", StringComparison.Ordinal));

        if (library && name == "train_test_split")
        {
            return TrainTestSplit(call, args);
        }

        if (library && name is not null && CrossValidation.Contains(name))
        {
            var inputs = args.Skip(1).Concat(keywords.Where(k => k.Key is "X" or "y").Select(k => k.Value)).ToList();
            Split(call, name, FlowValue.Union(inputs));
            CrossValidates = true;
            return all with { Parts = DataPart.None, Elements = null };
        }

        if (callee is not null && NumpyReductions.Contains(callee) && args.Count > 0 && !RowWise(call))
        {
            return Reduction(call, $"{Py.Render(call.Node("func"))}({Py.Render(Py.FirstArg(call))})", args[0], all);
        }

        if (callee is not null && (callee.StartsWith("sklearn.metrics.", StringComparison.Ordinal) || callee.StartsWith("imblearn.metrics.", StringComparison.Ordinal) || callee == "sklearn.calibration.calibration_curve")
            && !callee.Contains('(', StringComparison.Ordinal) && name is not ("make_scorer" or "get_scorer" or "check_scoring"))
        {
            // Predictions cut at a threshold (or made with a setting) read off an earlier score of
            // the same test split, scored on it again: the split chose what it then measures.
            if (all.Parts.HasFlag(DataPart.Test) && all.ChosenBy.Select(i => _scores[i]).FirstOrDefault(s => s.Atoms.Overlaps(all.Atoms) && s.Node != call) is { } chooser)
            {
                _chosenOnTest.Add((chooser.Node, call));
            }

            _scores.Add(new ScoreEvent { Node = call, IsScore = true, Parts = all.Parts, Atoms = all.Atoms, Predictions = all.PredictedBy, Taints = all.Taints, NamedTest = NamesTest(call) });
            var chosen = all.Parts.HasFlag(DataPart.Test) ? all.ChosenBy.Add(_scores.Count - 1) : all.ChosenBy;
            return all with { Elements = null, Parts = DataPart.None, PredictedBy = [], ChosenBy = chosen };
        }

        // An evaluation helper of another module (meu.display_model_performance_metrics(true_labels=y_test,
        // predicted_labels=…), mldatasets.evaluate_class_mdl(model, X_train, X_test, …)): it scores the
        // model it is given, or the predictions, on the data it is given.
        if (receiver is null && callee is not null && name is not null && IsEvaluationHelper(callee, name) && all.Parts.HasFlag(DataPart.Test))
        {
            var model = args.Concat(keywords.Values).FirstOrDefault(a => a.ObjectId is { } id && _trainedModels.Contains(id));
            _scores.Add(new ScoreEvent
            {
                Node = call,
                IsScore = true,
                Model = ModelKey(model?.ObjectId),
                ManyModels = model?.Many == true && _loopDepth > 0,
                Parts = all.Parts,
                Atoms = all.Atoms,
                Predictions = all.PredictedBy,
                Taints = all.Taints,
                Order = _order,
            });
        }

        // Reading a file makes new data, whatever the arguments (paths, often from one config object).
        if (receiver is null && callee is not null && name is not null && IsDataSource(callee, name))
        {
            return Fresh() with { IsSource = true };
        }

        // next(splitter.split(X, y)): the first fold's (train, held-out) indices.
        if (callee == "builtins.next" && args.Count >= 1 && args[0].Pairs && args[0].Elements is { } fold)
        {
            return FlowValue.Union(fold) with { Elements = fold };
        }

        // enumerate(kf.split(X)) still yields the folds, behind an index.
        if (callee == "builtins.enumerate" && args.Count == 1 && args[0].Pairs)
        {
            return new FlowValue { Elements = [FlowValue.Empty, args[0]], Pairs = true };
        }

        // Rows repeated before a split: pd.concat([df, minority, minority]), resample() with
        // replacement (its default), df.sample(..., replace=True). Copies of one row land on both sides.
        if (Repeats(call, callee, method) is { } repeats)
        {
            var rows = method is not null && receiver is not null ? FlowValue.Union(receiver, all) : all;
            if (rows.Parts == DataPart.None && !rows.Atoms.IsEmpty)
            {
                var fit = new FitEvent { Id = _fits.Count, Kind = LeakKind.Oversampling, What = repeats, Node = call, Atoms = rows.Atoms, Order = _order };
                _fits.Add(fit);
                return rows with { Taints = rows.Taints.Add(fit.Id), Elements = null, ObjectId = null, Class = null, Pairs = false };
            }
        }

        if (receiver is not null && method is not null)
        {
            return Method(call, method, receiver, args, keywords, all);
        }

        // make_pipeline(...) and friends build the same objects as their classes.
        if (callee is "sklearn.pipeline.make_pipeline" or "sklearn.compose.make_column_transformer" or "sklearn.pipeline.make_union" or "imblearn.pipeline.make_pipeline")
        {
            var built = callee switch
            {
                "sklearn.compose.make_column_transformer" => "sklearn.compose.ColumnTransformer",
                "sklearn.pipeline.make_union" => "sklearn.pipeline.FeatureUnion",
                _ => "sklearn.pipeline.Pipeline",
            };
            return Fresh() with { ObjectId = _nextAtom++, Class = built, Many = _loopDepth > 0 };
        }

        // A constructor (a resolved name that starts with a capital) makes a new object.
        if (callee is not null && name is { Length: > 0 } && char.IsUpper(name[0]))
        {
            var data = all.Atoms.IsEmpty ? Fresh() : all;
            return data with { ObjectId = _nextAtom++, Class = callee, Many = _loopDepth > 0, Elements = null, Pairs = false };
        }

        var result = FlowValue.Union(all, receiver ?? FlowValue.Empty);
        if (callee is "pandas.merge" or "pandas.merge_asof")
        {
            result = FlowValue.Joined(result, [.. args, .. keywords.Values]);
        }

        return result.Atoms.IsEmpty ? Fresh() with { Taints = result.Taints, Parts = result.Parts } : result with { Elements = null };
    }

    private FlowValue Method(PyNode call, string method, FlowValue receiver, List<FlowValue> args, Dictionary<string, FlowValue> keywords, FlowValue all)
    {
        var kind = receiver.Class is { } cls ? Category(cls) : null;

        // A Pipeline is a model when fitted, a preprocessing step when it transforms.
        if (receiver.Class is { } pipeline && Py.Last(pipeline) == "Pipeline" && method is "fit_transform" or "transform")
        {
            kind = LeakKind.Preprocessing;
        }
        var first = (args.Count > 0 ? args[0] : null) ?? keywords.GetValueOrDefault("X") ?? FlowValue.Empty;

        if (kind is { } leak)
        {
            if (method is "fit" or "fit_transform" or "fit_resample" or "fit_sample" && receiver.ObjectId is { } objectId)
            {
                var taints = ImmutableHashSet<int>.Empty;
                if ((first.Parts == DataPart.None || first.Parts == DataPart.Train) && !first.Atoms.IsEmpty)
                {
                    var fit = new FitEvent { Id = _fits.Count, Kind = leak, What = Py.Last(receiver.Class!), Node = call, Atoms = first.Atoms, Order = _order, OnTrainingPart = first.Parts == DataPart.Train };
                    _fits.Add(fit);
                    _fitted[objectId] = fit.Id;
                    taints = [fit.Id];
                }
                else
                {
                    // Rows of both sides of a split (pd.concat([X_train, X_test])) fitted together.
                    if (first.Parts.HasFlag(DataPart.Train) && first.Parts.HasFlag(DataPart.Test))
                    {
                        _mixedFits.Add(new MixedFit { Kind = leak, What = Py.Last(receiver.Class!), Node = call });
                    }

                    _fitted.Remove(objectId);
                }

                var output = all with { Taints = all.Taints.Union(taints), Elements = null, ObjectId = null, Class = null };
                return method switch
                {
                    "fit" => receiver,
                    "fit_transform" => output,
                    _ => output with { Elements = [output, output] },
                };
            }

            if (method is "transform" or "inverse_transform" or "resample" && receiver.ObjectId is { } used)
            {
                if (_fitted.TryGetValue(used, out var fitId))
                {
                    // What counts is the step applied to a part of a split (scaler.transform(X_test)), not to its own output.
                    if (method != "inverse_transform" && first.Parts != DataPart.None)
                    {
                        _transforms.Add((fitId, _order, call));
                    }

                    return all with { Taints = all.Taints.Add(fitId), Elements = null };
                }

                return all with { Elements = null };
            }
        }

        if (receiver.Class is { } splitter && Splitters.Contains(Py.Last(splitter)) && method == "split")
        {
            Split(call, $"{Py.Last(splitter)}.split", all);
            CrossValidates = true;
            return new FlowValue
            {
                Elements = [Fresh() with { Parts = DataPart.Train }, Fresh() with { Parts = DataPart.Validation }],
                Pairs = true,
            };
        }

        if (receiver.Class is { } search && Searches.Contains(Py.Last(search)) && method == "fit")
        {
            Split(call, $"{Py.Last(search)}.fit", all);
            CrossValidates = true;
            if (all.Parts.HasFlag(DataPart.Test))
            {
                _searchesOnTest.Add(call);
            }

            return receiver;
        }

        if (method is "fit" or "fit_predict" && receiver.ObjectId is not null)
        {
            // eval_set=[(X_test, y_test)] / validation_data=(X_test, y_test): early stopping and
            // checkpoint choice on the test split.
            foreach (var key in new[] { "eval_set", "validation_data", "valid_sets" })
            {
                if (keywords.TryGetValue(key, out var monitored) && monitored.Parts.HasFlag(DataPart.Test))
                {
                    _monitoredOnTest.Add((call, key));
                }
                else if (monitored is not null && monitored.Parts.HasFlag(DataPart.Validation) && NamedTestData(Py.Keyword(call, key)) && StopsEarly(keywords)
                    && ModelKey(receiver.ObjectId) is { } watcher)
                {
                    // A held-out fold used as the test part (x_test = x[test] in a folds loop) that stops training
                    // (a fold only watched for its loss curve chooses nothing).
                    _monitoredFolds.Add(new MonitoredFold(call, key, watcher, monitored.Atoms));
                }
            }

            var trained = Positional(args, keywords);
            _modelFits.Add((trained.Atoms, call));
            _trainedModels.Add(receiver.ObjectId.Value);
            _trained.Add(new TrainEvent
            {
                Node = call,
                Atoms = trained.Atoms,
                Taints = trained.Taints,
                Parts = trained.Parts,
                Data = Py.Render(Py.FirstArg(call)),
                Model = ModelKey(receiver.ObjectId),
                Labelled = args.Count >= 2 || keywords.ContainsKey("y"),
                FeatureParts = args.Count > 0 ? args[0].Parts : keywords.TryGetValue("X", out var features) ? features.Parts : DataPart.None,
                Order = _order,
            });
            return method == "fit" ? receiver : all with { Elements = null };
        }

        if (method is "score" or "evaluate" || Predictions.Contains(method))
        {
            var model = ModelKey(receiver.ObjectId)
                ?? (Py.Receiver(call) is { } r && r.Is("Name") ? r.Text("id") : null);
            _scores.Add(new ScoreEvent
            {
                Node = call,
                Taints = all.Taints,
                Data = Py.Render(Py.FirstArg(call)),
                IsScore = method is "score" or "evaluate",
                Model = model,
                ManyModels = receiver.Many && _loopDepth > 0,
                NamedTest = NamesTest(call),
                Parts = all.Parts,
                Atoms = all.Atoms,
                Order = _order,
            });
            var predictor = model is null ? null : (receiver.Many && _loopDepth > 0 ? "*" : string.Empty) + model;
            return all with { Elements = null, PredictedBy = predictor is null || method is "score" or "evaluate" ? all.PredictedBy : all.PredictedBy.Add(predictor) };
        }

        // df.groupby(k)[c].transform("mean"), .agg(["mean", "std"]): a statistic named by its string.
        if (method is "transform" or "agg" or "aggregate" && NamedReduction(Py.FirstArg(call)) is { } statistic && !RowWise(call) && !receiver.Atoms.IsEmpty && !IsModel(receiver.Class))
        {
            var what = $"{Py.Render(Py.Receiver(call))}.{method}(\"{statistic}\")";
            return method == "transform" ? Broadcast(call, what, receiver, all) : Reduction(call, what, receiver, all);
        }

        // df.apply(helper), df.pipe(helper, …), df.transform(lambda col: …): the function runs on the
        // frame (column by column for apply, so a fit inside sees every row; row-wise apply does not).
        if (method is "apply" or "pipe" or "transform" or "agg" or "aggregate" && Py.FirstArg(call) is { } applied && !RowWise(call) && !receiver.Atoms.IsEmpty
            && Applied(applied, call, [receiver, .. args.Skip(1)], keywords) is { } appliedOutput)
        {
            return FlowValue.Union(receiver with { Elements = null }, appliedOutput) with { ObjectId = null, Class = null, Elements = null, Pairs = false };
        }

        // models.append(model) in a loop, as a statement: the list holds several of them (a frame's
        // append, whose result is used, is a new frame).
        if (method is "append" or "extend" or "insert" && call.Parent?.Is("Expr") == true && Py.Receiver(call) is { } list && list.Is("Name") && receiver.ObjectId is null)
        {
            var added = FlowValue.Union(receiver with { Elements = null }, all);
            Bind(list, added with { Many = added.Many || _loopDepth > 0 || args.Any(a => a.Elements is { Count: > 1 }) });
            return added;
        }

        if (method == "value_counts")
        {
            return FlowValue.Union(receiver with { Elements = null }, all) with { Counts = true };
        }

        if (Reductions.Contains(method) && receiver.Counts)
        {
            return FlowValue.Union(receiver, all);
        }

        // s.rolling(7).mean(), s.expanding().max(): each row's window holds earlier rows only, so
        // a part cut off by position learns nothing from the rows after it.
        if (Reductions.Contains(method) && Windowed(call))
        {
            return FlowValue.Union(receiver with { Elements = null }, all);
        }

        if (Reductions.Contains(method) && !RowWise(call) && !receiver.Atoms.IsEmpty && !IsModel(receiver.Class))
        {
            var what = $"{Py.Render(Py.Receiver(call))}.{method}()";
            return Reduction(call, what, receiver, all);
        }

        var result = FlowValue.Union(receiver with { Elements = null }, all);
        if (JoinMethods.Contains(method))
        {
            result = FlowValue.Joined(result, [receiver, .. args, .. keywords.Values]);
        }

        if (keywords.TryGetValue("inplace", out _) && Py.IsTrue(Py.Keyword(call, "inplace")) && Py.Receiver(call) is { } target)
        {
            Bind(target, result, merge: true);
        }

        return result with { ObjectId = receiver.ObjectId, Class = receiver.Class };
    }

    /// <summary>A statistic over rows (df.mean(), np.std(X, axis=0)) of data not yet split: it leaks if its use is split later.</summary>
    private FlowValue Reduction(PyNode call, string what, FlowValue data, FlowValue all)
    {
        var result = FlowValue.Union(data with { Elements = null }, all);
        if (data.Parts != DataPart.None || data.Atoms.IsEmpty)
        {
            return result with { ObjectId = null, Class = null };
        }

        var fit = new FitEvent { Id = _fits.Count, Kind = LeakKind.Preprocessing, What = what, Node = call, Atoms = data.Atoms, Order = _order };
        _fits.Add(fit);
        // df.groupby(k).mean(): one new row per group, each made of its own group's rows only.
        if (Grouped(call))
        {
            return Fresh() with { Taints = result.Taints, Aggregates = result.Aggregates.Add(fit.Id), PredictedBy = result.PredictedBy };
        }
        // A statistic is a value, not rows: it carries what it learned from, not the rows themselves,
        // so filling the test frame with the training mean does not make it training rows.
        return new FlowValue { Taints = result.Taints.Add(fit.Id), PredictedBy = result.PredictedBy };
    }

    /// <summary>A group statistic put back on every row of its group (df.groupby(k)[c].transform("mean")): the rows now carry it.</summary>
    private FlowValue Broadcast(PyNode call, string what, FlowValue data, FlowValue all)
    {
        var result = FlowValue.Union(data with { Elements = null }, all) with { ObjectId = null, Class = null };
        if (data.Parts != DataPart.None)
        {
            return result;
        }

        var fit = new FitEvent { Id = _fits.Count, Kind = LeakKind.Preprocessing, What = what, Node = call, Atoms = data.Atoms, Order = _order };
        _fits.Add(fit);
        return result with { Taints = result.Taints.Add(fit.Id) };
    }

    /// <summary>The statistic a string names ("mean", ["mean", "std"], np.median), or null for anything else.</summary>
    private string? NamedReduction(PyNode? argument)
    {
        if (Py.String(argument) is { } named)
        {
            return Reductions.Contains(named) || named is "sum" or "nunique" ? named : null;
        }

        if (argument is not null && (argument.Is("List") || argument.Is("Tuple")))
        {
            return argument.Nodes("elts").Select(NamedReduction).FirstOrDefault(n => n is not null);
        }

        return argument is not null && _names.Qualify(argument) is { } qualified && NumpyReductions.Contains(qualified) ? Py.Last(qualified) : null;
    }

    // The receiver of a call, through subscripts and attributes, is a call of one of these methods
    // (df.groupby(k)["c"].mean(), s.rolling(7).mean()).
    private static bool ReceivedFrom(PyNode call, params string[] methods)
    {
        var node = Py.Receiver(call);
        while (node is not null)
        {
            if (node.Is("Call"))
            {
                if (Py.Method(node) is { } inner && methods.Contains(inner))
                {
                    return true;
                }

                node = Py.Receiver(node);
            }
            else if (node.Is("Subscript") || node.Is("Attribute"))
            {
                node = node.Node("value");
            }
            else
            {
                return false;
            }
        }

        return false;
    }

    private static bool Grouped(PyNode call) => ReceivedFrom(call, "groupby", "resample");

    private static bool Windowed(PyNode call) => ReceivedFrom(call, "rolling", "expanding", "ewm");

    // pd.read_csv(...), np.random.rand(...): a function of an imported module, not a method of data.
    private bool IsModule(PyNode? node)
    {
        var root = node;
        while (root is not null && root.Is("Attribute"))
        {
            root = root.Node("value");
        }

        return root is not null && root.Is("Name") && !_env.ContainsKey(root.Text("id")!) && _names.Qualify(root) is { } q && !q.Contains('(', StringComparison.Ordinal);
    }

    // What a fit learns from: its positional arguments and X/y, not eval_set or callbacks.
    // How score and train events name an object: its id as text (a variable name where there is no id).
    private static string? ModelKey(int? objectId) => objectId?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static FlowValue Positional(List<FlowValue> args, Dictionary<string, FlowValue> keywords) =>
        FlowValue.Union(args.Concat(keywords.Where(k => k.Key is "X" or "y" or "x").Select(k => k.Value)));

    private static readonly HashSet<string> EvaluationWords = new(StringComparer.Ordinal)
    {
        "metric", "metrics", "evaluate", "evaluation", "eval", "performance", "score", "scores", "accuracy", "report",
    };

    // Libraries whose functions are known: their metrics are matched by name above, the rest do not evaluate.
    private static readonly string[] KnownLibraries =
    [
        "builtins.", "numpy.", "pandas.", "scipy.", "sklearn.", "imblearn.", "matplotlib.", "seaborn.", "torch.", "tensorflow.",
        "keras.", "xgboost.", "lightgbm.", "catboost.", "statsmodels.", "math.", "statistics.",
    ];

    private static bool IsEvaluationHelper(string callee, string name) =>
        !KnownLibraries.Any(l => callee.StartsWith(l, StringComparison.Ordinal)) && !callee.Contains('(', StringComparison.Ordinal)
        && name.Split('_').Any(EvaluationWords.Contains);

    private static bool IsDataSource(string callee, string name) =>
        name.StartsWith("read_", StringComparison.Ordinal) || name.StartsWith("load", StringComparison.Ordinal)
        || name.StartsWith("fetch_", StringComparison.Ordinal) || callee.StartsWith("sklearn.datasets.make_", StringComparison.Ordinal)
        || name is "open" or "genfromtxt" or "fromfile" or "read_table";

    private static bool IsModel(string? qualified) => qualified is not null
        && (qualified.StartsWith("sklearn.", StringComparison.Ordinal) || qualified.StartsWith("imblearn.", StringComparison.Ordinal)
            || qualified.StartsWith("xgboost.", StringComparison.Ordinal) || qualified.StartsWith("lightgbm.", StringComparison.Ordinal)
            || qualified.StartsWith("catboost.", StringComparison.Ordinal) || qualified.StartsWith("torch.", StringComparison.Ordinal)
            || qualified.StartsWith("keras.", StringComparison.Ordinal) || qualified.StartsWith("tensorflow.", StringComparison.Ordinal));

    /// <summary>
    /// What a call that repeats rows is called in a finding, or null: a row-wise concatenation
    /// whose list names the same frame twice (or a frame and a part of it), scikit-learn's
    /// <c>resample</c> unless <c>replace=False</c>, and <c>.sample(replace=True)</c>.
    /// </summary>
    private static string? Repeats(PyNode call, string? callee, string? method)
    {
        if (method == "sample" && Py.IsTrue(Py.Keyword(call, "replace")))
        {
            return $"{Py.Render(call.Node("func"))}(replace=True)";
        }

        if (callee is "sklearn.utils.resample" && Py.Keyword(call, "replace")?.ConstantValue is not false)
        {
            return "resample (with replacement)";
        }

        if (callee is not ("pandas.concat" or "numpy.concatenate" or "numpy.vstack" or "numpy.row_stack") || RowWise(call)
            || Py.FirstArg(call) is not { } list || !(list.Is("List") || list.Is("Tuple")))
        {
            return null;
        }

        // The frame each element comes from: df, df[mask], df.loc[...] are all rows of df.
        var roots = new List<(string Name, bool Whole)>();
        foreach (var element in list.Nodes("elts"))
        {
            var root = element;
            while (root is not null && (root.Is("Subscript") || root.Is("Attribute")))
            {
                root = root.Node("value");
            }

            if (root is not null && root.Is("Name"))
            {
                roots.Add((root.Text("id")!, ReferenceEquals(root, element)));
            }
        }

        var repeated = roots.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count(r => r.Whole) >= 2 || (g.Count() >= 2 && g.Any(r => r.Whole)));
        return repeated is null ? null : $"{Py.Render(call.Node("func"))} repeating rows of {repeated.Key}";
    }

    /// <summary>
    /// A split by position: the rows before a bound (<c>X[:n]</c>, <c>df.iloc[:n]</c>, <c>X[:n, :]</c>)
    /// are the training part, the rows from it on (<c>X[n:]</c>) the held-out part. Anything
    /// else (a step, both bounds, a single index) is no split.
    /// </summary>
    private static DataPart? RowSlice(PyNode? slice)
    {
        if (slice is not null && slice.Is("Tuple") && slice.Nodes("elts") is [var first, ..])
        {
            slice = first;
        }

        if (slice is null || !slice.Is("Slice") || slice.Node("step") is not null)
        {
            return null;
        }

        return (slice.Node("lower"), slice.Node("upper")) switch
        {
            (null, not null) => DataPart.Train,
            (not null, null) => DataPart.Test,
            _ => null,
        };
    }

    private static bool RowWise(PyNode call) =>
        Py.Keyword(call, "axis") is { } axis && (Py.Number(axis) is 1 || Py.String(axis) == "columns");

    private FlowValue TrainTestSplit(PyNode call, List<FlowValue> arrays)
    {
        var inputs = FlowValue.Union(arrays);
        Split(call, "train_test_split", inputs);

        // Splitting a training part again makes a validation part, not a test set.
        var heldOut = inputs.Parts.HasFlag(DataPart.Train) ? DataPart.Validation : DataPart.Test;
        var parts = new List<FlowValue>();
        foreach (var array in arrays)
        {
            parts.Add(Fresh() with { Parts = DataPart.Train, Taints = array.Taints, Aggregates = array.Aggregates });
            parts.Add(Fresh() with { Parts = heldOut, Taints = array.Taints, Aggregates = array.Aggregates });
        }

        return new FlowValue { Elements = parts, Atoms = parts.SelectMany(p => p.Atoms).ToImmutableHashSet() };
    }

    // train = df[:n], or X_train, X_test = X[:n], X[n:]: the slice is kept under a name (one shown, print(X[:5]), is not).
    private static bool Assigned(PyNode node)
    {
        var value = node.Parent is { } tuple && (tuple.Is("Tuple") || tuple.Is("List")) ? tuple : node;
        return value.Parent is { } statement && (statement.Is("Assign") || statement.Is("AnnAssign")) && ReferenceEquals(statement.Node("value"), value);
    }

    /// <summary>
    /// Rows before a bound and rows from a bound on, taken of the same data (train = df[:-n],
    /// test = df[-n:]): a split, at the second of the two slices, of what either sliced frame
    /// carried. One slice alone (X[:5] to look at) is no split.
    /// </summary>
    private void PositionalSplit(PyNode node, DataPart part, FlowValue container)
    {
        var other = _slices.FindLastIndex(s => s.Part != part && s.Atoms.Overlaps(container.Atoms));
        if (other >= 0)
        {
            var earlier = _slices[other];
            _splits.Add(new SplitEvent { Node = node, What = "a split by position", Order = _order, Atoms = earlier.Atoms.Union(container.Atoms), Taints = earlier.Taints.Union(container.Taints) });
            _slices.RemoveAt(other);
            return;
        }

        if (_slices.Count < MaxSlices)
        {
            _slices.Add((part, container.Atoms, container.Taints));
        }
    }

    /// <summary>Whether a split event's folds give the scores themselves (cross-validation, a folds loop), not a search's choice.</summary>
    public static bool EvaluatesByFolds(string what) =>
        CrossValidation.Contains(what) || what.EndsWith(".split", StringComparison.Ordinal);

    private void Split(PyNode call, string what, FlowValue inputs) =>
        _splits.Add(new SplitEvent { Node = call, What = what, Order = _order, Atoms = inputs.Atoms, Taints = inputs.Taints });

    private static LeakKind? Category(string qualified)
    {
        var name = Py.Last(qualified);
        if (VocabularyEncoders.Contains(name))
        {
            return null;
        }

        if (qualified.StartsWith("category_encoders.", StringComparison.Ordinal))
        {
            return LeakKind.Preprocessing;
        }

        if (!qualified.StartsWith("sklearn.", StringComparison.Ordinal) && !qualified.StartsWith("imblearn.", StringComparison.Ordinal))
        {
            return null;
        }

        return Preprocessors.Contains(name) ? LeakKind.Preprocessing
            : Selectors.Contains(name) ? LeakKind.FeatureSelection
            : Oversamplers.Contains(name) ? LeakKind.Oversampling
            : null;
    }
}
