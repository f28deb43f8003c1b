using System.Text.Json;
using Repro.Checks.Lint;
using Repro.Model.Findings;

namespace Repro.Tests.Lint;

/// <summary>Leaks found through the program's own functions, loops over folds, containers and re-joined splits, each with its path.</summary>
public sealed class WholeProgramLeakageTests
{
    private const string Load = """
        import pandas as pd
        from sklearn.model_selection import KFold, train_test_split
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("data.csv")
        X = df.drop(columns=["y"])
        y = df["y"]

        """;

    [Fact]
    public Task A_split_inside_a_helper_sees_the_scaler_fitted_before_the_call() => LintHarness.TriggersAsync("LEAK001", Load + """
        X = StandardScaler().fit_transform(X)
        def split(data, labels):
            return train_test_split(data, labels, random_state=0)
        X_train, X_test, y_train, y_test = split(X, y)
        """, 8);

    [Fact]
    public Task A_scaler_fitted_inside_a_helper_is_followed_to_the_split_after_the_call() => LintHarness.TriggersAsync("LEAK001", Load + """
        def scale(frame, *, scaler=StandardScaler()):
            return scaler.fit_transform(frame)
        X_scaled = scale(X)
        X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)
        """, 9);

    [Fact]
    public Task A_helper_calling_a_helper_is_followed() => LintHarness.TriggersAsync("LEAK001", Load + """
        def clean(frame):
            return frame.fillna(frame.mean())
        def prepare(frame):
            cleaned = clean(frame)
            return cleaned
        ready = prepare(X)
        parts = train_test_split(ready, y, random_state=0)
        """, 9);

    [Fact]
    public Task The_last_model_of_a_cross_validation_loop_scored_once_on_the_holdout_is_clean() => LintHarness.SilentAsync("LEAK004", Load + """
        from sklearn.metrics import mean_squared_error
        X_main, X_holdout, y_main, y_holdout = train_test_split(X, y, test_size=0.1)
        for train, test in KFold(5).split(X_main):
            model = LogisticRegression()
            model.fit(X_main.iloc[train], y_main.iloc[train])
            print(mean_squared_error(y_main.iloc[test], model.predict(X_main.iloc[test])))
        holdout_pred = model.predict(X_holdout)
        print(mean_squared_error(y_holdout, holdout_pred))
        """);

    [Fact]
    public Task Models_of_a_list_scored_on_the_test_split_in_a_comprehension_are_several() => LintHarness.TriggersAsync("LEAK004", Load + """
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        models = [LogisticRegression(C=c).fit(X_train, y_train) for c in [0.1, 1.0, 10.0]]
        scores = [m.score(X_test, y_test) for m in models]
        """, 10);

    [Fact]
    public Task Models_appended_to_a_list_in_a_loop_and_scored_on_the_test_split_in_another_are_several() => LintHarness.TriggersAsync("LEAK004", Load + """
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        models = []
        for c in [0.1, 1.0, 10.0]:
            models.append(LogisticRegression(C=c).fit(X_train, y_train))
        for m in models:
            print(m.score(X_test, y_test))
        """, 13);

    [Fact]
    public Task A_helper_that_fills_the_frame_it_was_given_in_place_changes_the_callers_frame() => LintHarness.TriggersAsync("LEAK001", Load + """
        def preprocess(frame):
            for column in frame.columns:
                frame[column] = frame[column].fillna(frame[column].median())
        preprocess(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """, 10);

    [Fact]
    public Task A_helper_that_fills_a_copy_leaves_the_callers_frame_alone() => LintHarness.SilentAsync("LEAK001", Load + """
        def preprocess(frame):
            frame = frame.copy()
            for column in frame.columns:
                frame[column] = frame[column].fillna(frame[column].median())
        preprocess(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """);

    [Fact]
    public Task Class_counts_used_to_set_a_sampling_strategy_before_cross_validation_are_clean() => LintHarness.SilentAsync("LEAK001", Load + """
        from imblearn.datasets import make_imbalance
        from sklearn.model_selection import cross_validate
        classes_count = y.value_counts()
        X_res, y_res = make_imbalance(X, y, sampling_strategy={classes_count.idxmin(): classes_count.max() // 30})
        cross_validate(LogisticRegression(), X_res, y_res)
        """);

    [Fact]
    public Task The_largest_value_of_a_column_before_cross_validation_still_leaks() => LintHarness.TriggersAsync("LEAK001", Load + """
        from sklearn.model_selection import cross_validate
        counts = X["income"].value_counts()
        X["income"] = X["income"] / X["income"].max()
        cross_validate(LogisticRegression(), X, y)
        """, 10);

    [Fact]
    public Task A_helper_that_splits_and_returns_the_parts_is_clean_when_the_scaler_is_fitted_on_the_training_part() => LintHarness.SilentAsync("LEAK001", Load + """
        def prepare(frame, labels):
            X_train, X_test, y_train, y_test = train_test_split(frame, labels, random_state=0)
            return X_train, X_test, y_train, y_test
        X_train, X_test, y_train, y_test = prepare(X, y)
        scaler = StandardScaler().fit(X_train)
        X_train = scaler.transform(X_train)
        X_test = scaler.transform(X_test)
        """);

    [Fact]
    public Task A_global_assigned_inside_a_helper_carries_the_fit_to_the_split() => LintHarness.TriggersAsync("LEAK001", Load + """
        def prepare():
            global X
            X = StandardScaler().fit_transform(X)
        prepare()
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """, 10);

    [Fact]
    public Task A_recursive_helper_is_analysed_without_looping() => LintHarness.SilentAsync("INTERNAL", Load + """
        def walk(frame, depth):
            if depth == 0:
                return frame
            return walk(frame, depth - 1)
        walked = walk(X, 3)
        """);

    [Fact]
    public Task A_frame_scaled_on_all_rows_and_indexed_by_fold_is_a_leak() => LintHarness.TriggersAsync("LEAK001", Load + """
        X_scaled = StandardScaler().fit_transform(X)
        for train_index, test_index in KFold(n_splits=5, shuffle=True, random_state=0).split(X):
            model = LogisticRegression().fit(X_scaled[train_index], y[train_index])
        """, 8);

    [Fact]
    public Task A_scaler_fitted_on_all_rows_after_the_split_and_applied_to_a_part_is_a_leak() => LintHarness.TriggersAsync("LEAK001", Load + """
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        scaler = StandardScaler().fit(X)
        X_train = scaler.transform(X_train)
        """, 9);

    [Fact]
    public Task A_scaler_fitted_on_the_training_and_test_parts_joined_again_is_a_leak() => LintHarness.TriggersAsync("LEAK001", Load + """
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        both = pd.concat([X_train, X_test])
        scaler = StandardScaler().fit(both)
        """, 10);

    [Fact]
    public Task Data_through_lists_and_dicts_still_carries_the_fit() => LintHarness.TriggersAsync("LEAK001", Load + """
        frames = [X, y]
        store = {"features": frames[0]}
        X_scaled = StandardScaler().fit_transform(store["features"])
        bundle = (X_scaled, y)
        X_train, X_test, y_train, y_test = train_test_split(*bundle, random_state=0)
        """, 10);

    private const string TwoFiles = """
        import numpy as np
        import pandas as pd
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        train = pd.read_csv("train.csv")
        test = pd.read_csv("test.csv")

        """;

    [Fact]
    public Task Train_and_test_joined_filled_with_their_common_mean_and_sliced_apart_is_a_leak() => LintHarness.TriggersAsync("LEAK001", TwoFiles + """
        data = pd.concat([train, test], sort=False)
        data["Fare"].fillna(np.mean(data["Fare"]), inplace=True)
        train = data[:len(train)]
        test = data[len(train):]
        X_train = train.drop("Survived", axis=1)
        X_test = test.drop("Survived", axis=1)
        clf = LogisticRegression(random_state=0).fit(X_train, train["Survived"])
        y_pred = clf.predict(X_test)
        """, 8);

    [Fact]
    public Task The_test_file_filled_with_the_training_mean_is_clean() => LintHarness.SilentAsync("LEAK001", TwoFiles + """
        train["Age"] = train["Age"].fillna(train["Age"].mean())
        test["Age"] = test["Age"].fillna(train["Age"].mean())
        clf = LogisticRegression(random_state=0).fit(train.drop("Survived", axis=1), train["Survived"])
        y_pred = clf.predict(test)
        """);

    [Fact]
    public Task A_scaler_fitted_on_the_training_file_and_applied_to_the_test_file_is_clean() => LintHarness.SilentAsync("LEAK001", TwoFiles + """
        scaler = StandardScaler().fit(train)
        X_train = scaler.transform(train)
        X_test = scaler.transform(test)
        clf = LogisticRegression(random_state=0).fit(X_train, train["Survived"])
        print(clf.predict(X_test), clf.predict(X_train[:5]))
        """);

    [Fact]
    public Task A_helper_applied_column_by_column_that_fits_a_scaler_is_followed() => LintHarness.TriggersAsync("LEAK001", Load + """
        def scale(column):
            return StandardScaler().fit_transform(column)
        X = X.apply(scale, axis=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """, 9);

    [Fact]
    public Task A_lambda_filling_each_column_with_its_mean_is_followed() => LintHarness.TriggersAsync("LEAK001", Load + """
        X = X.apply(lambda column: column.fillna(column.mean()))
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """, 8);

    [Fact]
    public Task A_row_wise_apply_learns_nothing_across_rows() => LintHarness.SilentAsync("LEAK001", Load + """
        X["mean"] = X.apply(lambda row: row.mean(), axis=1)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """);

    [Fact]
    public async Task A_finding_carries_its_path_in_the_text_the_json_and_sarif()
    {
        var findings = await LintHarness.LintAsync(Load + """
            X = StandardScaler().fit_transform(X)
            def split(data, labels):
                return train_test_split(data, labels, random_state=0)
            X_train, X_test, y_train, y_test = split(X, y)
            """);
        var leak = Assert.Single(findings, f => f.RuleId == "LEAK001");
        Assert.Equal(2, leak.Flow.Count);
        Assert.Equal((8, 5, "StandardScaler fitted on rows not yet split"), (leak.Flow[0].Line!.Value, leak.Flow[0].Column!.Value, leak.Flow[0].Note));
        Assert.Equal((10, 12, "train_test_split splits data that carries it"), (leak.Flow[1].Line!.Value, leak.Flow[1].Column!.Value, leak.Flow[1].Note));
        Assert.EndsWith(" (path: 8:5 StandardScaler fitted on rows not yet split → 10:12 train_test_split splits data that carries it)", FindingText.Gcc(leak), StringComparison.Ordinal);

        var json = JsonDocument.Parse(Repro.Model.Serialization.CanonicalJson.Serialize(leak)).RootElement;
        var step = json.GetProperty("flow")[1];
        Assert.Equal(("train.py", 10, 12, "train_test_split splits data that carries it"), (step.GetProperty("path").GetString(), step.GetProperty("line").GetInt32(), step.GetProperty("column").GetInt32(), step.GetProperty("note").GetString()));
        Assert.Equal(JsonValueKind.Null, step.GetProperty("cell").ValueKind);

        var sarif = JsonDocument.Parse(SarifWriter.Render("1.0.0", LintRules.All, [leak])).RootElement;
        var locations = sarif.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("codeFlows")[0].GetProperty("threadFlows")[0].GetProperty("locations");
        Assert.Equal(2, locations.GetArrayLength());
        var split = locations[1].GetProperty("location");
        Assert.Equal(10, split.GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal("train_test_split splits data that carries it", split.GetProperty("message").GetProperty("text").GetString());
    }

    [Fact]
    public Task A_scaler_kept_in_a_field_of_the_programs_own_class_is_followed_through_its_method() => LintHarness.TriggersAsync("LEAK001", Load + """
        class Prep:
            def __init__(self):
                self.scaler = StandardScaler()
            def run(self, frame):
                return self.scaler.fit_transform(frame)
        X_ready = Prep().run(X)
        X_train, X_test, y_train, y_test = train_test_split(X_ready, y, random_state=0)
        """, 12);

    [Fact]
    public Task A_split_by_position_holds_out_the_rows_after_the_bound() => LintHarness.SilentAsync("LEAK005", Load + """
        n = int(len(X) * 0.8)
        X_train, X_test = X[:n], X.iloc[n:]
        y_train, y_test = y[:n], y[n:]
        print(LogisticRegression().fit(X_train, y_train).score(X_test, y_test))
        """);

    [Fact]
    public Task A_scaler_fitted_before_a_split_by_position_is_found() => LintHarness.TriggersAsync("LEAK001", Load + """
        X = StandardScaler().fit_transform(X)
        X_train, X_test = X[:800], X[800:]
        y_train, y_test = y[:800], y[800:]
        print(LogisticRegression().fit(X_train, y_train).score(X_test, y_test))
        """, 8);

    [Fact]
    public Task Rows_repeated_by_concat_before_the_split_are_overlap_leakage() => LintHarness.TriggersAsync("LEAK003", Load + """
        minority = df[df["y"] == 1]
        df = pd.concat([df, minority, minority])
        parts = train_test_split(df.drop(columns="y"), df["y"], random_state=0)
        """, 9);

    [Fact]
    public Task Resample_with_replacement_before_the_split_is_overlap_leakage() => LintHarness.TriggersAsync("LEAK003", Load + """
        from sklearn.utils import resample
        up = resample(df[df.y == 1], n_samples=500, random_state=0)
        df = pd.concat([df[df.y == 0], up])
        parts = train_test_split(df.drop(columns="y"), df["y"], random_state=0)
        """, 9);

    [Fact]
    public Task Columns_joined_with_axis_1_and_resampling_without_replacement_repeat_no_rows() => LintHarness.SilentAsync("LEAK003", Load + """
        from sklearn.utils import resample
        wide = pd.concat([X, X.add_suffix("_copy")], axis=1)
        fewer = resample(wide, replace=False, n_samples=100, random_state=0)
        parts = train_test_split(fewer, y[:100], random_state=0)
        """);

    [Fact]
    public Task A_vocabulary_encoder_fitted_before_the_split_is_not_reported() => LintHarness.SilentAsync("LEAK001", Load + """
        from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder
        codes = OrdinalEncoder().fit_transform(X[["c"]])
        hot = OneHotEncoder().fit_transform(X[["d"]])
        parts = train_test_split(codes, hot, y, random_state=0)
        """);

    [Fact]
    public Task A_step_fitted_after_a_split_and_inverted_on_its_own_output_is_not_reported() => LintHarness.SilentAsync("LEAK001", Load + """
        from sklearn.decomposition import PCA
        from sklearn.model_selection import cross_val_score
        print(cross_val_score(LogisticRegression(), X, y, cv=3))
        pca = PCA(n_components=2)
        reduced = pca.fit_transform(X)
        restored = pca.inverse_transform(reduced)
        """);

    [Fact]
    public Task A_test_set_made_on_its_own_and_scored_for_two_models_is_multi_test_leakage() => LintHarness.TriggersAsync("LEAK004", """
        import numpy as np
        from sklearn.datasets import make_moons
        from sklearn.linear_model import LogisticRegression
        from sklearn.tree import DecisionTreeClassifier
        from imblearn.metrics import classification_report_imbalanced
        X_train, y_train = make_moons(n_samples=500, random_state=0)
        X_test, y_test = make_moons(n_samples=50, random_state=1)
        first = LogisticRegression().fit(X_train, y_train)
        print(classification_report_imbalanced(y_test, first.predict(X_test)))
        second = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
        print(classification_report_imbalanced(y_test, second.predict(X_test)))
        """, 11);

    [Fact]
    public Task A_helpers_optional_test_parameter_left_at_None_is_not_a_test_set() => LintHarness.SilentAsync("LEAK004", Load + """
        from sklearn.metrics import accuracy_score
        def evaluate(model, X_valid, y_valid, X_test=None, y_test=None):
            score = accuracy_score(y_valid, model.predict(X_valid))
            if X_test is not None:
                return score, accuracy_score(y_test, model.predict(X_test))
            return score
        X_tr, X_val, y_tr, y_val = train_test_split(X, y, random_state=0)
        for c in [0.1, 1.0]:
            print(evaluate(LogisticRegression(C=c).fit(X_tr, y_tr), X_val, y_val))
        """);

    [Fact]
    public Task A_scaler_fitted_on_the_whole_training_part_then_cross_validated_is_reported_with_its_path() => SingleWithPathAsync("LEAK001", Load + """
        from sklearn.model_selection import cross_val_score
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        scaler = StandardScaler()
        X_prepared = scaler.fit_transform(X_train)
        print(cross_val_score(LogisticRegression(), X_prepared, y_train, cv=5).mean())
        """, "whole training part", [11, 12]);

    [Fact]
    public Task A_scaler_fitted_on_the_training_part_before_a_search_with_a_held_out_score_is_not_reported() => LintHarness.SilentAsync("LEAK001", Load + """
        from sklearn.model_selection import GridSearchCV
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        scaler = StandardScaler().fit(X_train)
        search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=5).fit(scaler.transform(X_train), y_train)
        print(search.score(scaler.transform(X_test), y_test))
        """);

    [Fact]
    public Task A_scaler_in_a_pipeline_cross_validated_on_the_training_part_is_not_reported() => LintHarness.SilentAsync("LEAK001", Load + """
        from sklearn.model_selection import cross_val_score
        from sklearn.pipeline import make_pipeline
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        print(cross_val_score(make_pipeline(StandardScaler(), LogisticRegression()), X_train, y_train, cv=5).mean())
        """);

    [Fact]
    public Task A_calibrator_fitted_on_the_test_split_and_predicting_it_is_an_overlap_leak() => SingleWithPathAsync("LEAK003", Load + """
        from sklearn.calibration import CalibratedClassifierCV
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        model = LogisticRegression().fit(X_train, y_train)
        calibrated = CalibratedClassifierCV(model, cv=5)
        calibrated.fit(X_test, y_test)
        probabilities = calibrated.predict_proba(X_test)[:, 1]
        """, "fitted on the test split", [12, 13]);

    [Fact]
    public Task A_calibrator_fitted_on_a_validation_part_and_predicting_the_test_split_is_not_reported() => LintHarness.SilentAsync("LEAK003", Load + """
        from sklearn.calibration import CalibratedClassifierCV
        X_rest, X_test, y_rest, y_test = train_test_split(X, y, random_state=0)
        X_train, X_cal, y_train, y_cal = train_test_split(X_rest, y_rest, random_state=0)
        model = LogisticRegression().fit(X_train, y_train)
        calibrated = CalibratedClassifierCV(model, cv="prefit").fit(X_cal, y_cal)
        probabilities = calibrated.predict_proba(X_test)[:, 1]
        """);

    [Fact]
    public Task A_clustering_fitted_on_the_test_split_without_labels_is_not_an_overlap_leak() => LintHarness.SilentAsync("LEAK003", Load + """
        from sklearn.cluster import KMeans
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        groups = KMeans(n_clusters=3, random_state=0).fit(X_test)
        print(groups.predict(X_test))
        """);

    [Fact]
    public Task Models_of_a_dict_scored_on_the_test_split_in_a_loop_over_its_keys_are_a_multi_test_leak() => LintHarness.TriggersAsync("LEAK004", Load + """
        from sklearn import metrics
        from sklearn.tree import DecisionTreeClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        models = {"logistic": {"model": LogisticRegression()}, "tree": {"model": DecisionTreeClassifier(random_state=0)}}
        for name in models.keys():
            fitted = models[name]["model"].fit(X_train, y_train)
            models[name]["accuracy"] = metrics.accuracy_score(y_test, fitted.predict(X_test))
        """, 14);

    [Fact]
    public Task Two_models_scored_by_an_evaluation_helper_of_another_module_on_the_test_split_are_a_multi_test_leak() => LintHarness.TriggersAsync("LEAK004", Load + """
        import model_evaluation_utils as meu
        from sklearn.tree import DecisionTreeClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        first = LogisticRegression().fit(X_train, y_train)
        meu.display_model_performance_metrics(true_labels=y_test, predicted_labels=first.predict(X_test))
        second = DecisionTreeClassifier(random_state=0).fit(X_train, y_train)
        meu.evaluate_model(second, X_test, y_test)
        """, 14);

    [Fact]
    public Task One_model_shown_by_several_evaluation_helpers_is_not_a_multi_test_leak() => LintHarness.SilentAsync("LEAK004", Load + """
        import model_evaluation_utils as meu
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        model = LogisticRegression().fit(X_train, y_train)
        meu.display_model_performance_metrics(true_labels=y_test, predicted_labels=model.predict(X_test))
        meu.plot_model_roc_curve(model, X_test, y_test)
        meu.evaluate_model(model, X_test, y_test)
        """);

    [Fact]
    public Task Indices_of_the_first_fold_taken_with_next_split_the_data_so_a_step_fitted_on_the_training_rows_is_not_reported() => LintHarness.SilentAsync("LEAK001", Load + """
        from sklearn.model_selection import StratifiedShuffleSplit
        from sklearn.decomposition import PCA
        splitter = StratifiedShuffleSplit(n_splits=1, test_size=0.2, random_state=0)
        train_idx, test_idx = next(splitter.split(X, y))
        X_train, X_test = X.values[train_idx], X.values[test_idx]
        pca = PCA(0.99)
        X_train_pca = pca.fit_transform(X_train)
        first_rows = pca.transform(X_train[:3])
        """);

    [Fact]
    public Task A_step_fitted_on_rows_that_two_models_train_on_is_not_reported_when_one_model_scores_its_own_training_features() => LintHarness.SilentAsync("LEAK001", """
        from sklearn.datasets import load_files
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.decomposition import TruncatedSVD
        from sklearn.linear_model import LogisticRegression
        reviews = load_files("train/")
        texts, labels = reviews.data, reviews.target
        counts = CountVectorizer().fit_transform(texts)
        reduced = TruncatedSVD(n_components=10, random_state=0).fit_transform(counts)
        plain = LogisticRegression().fit(counts, labels)
        lsa = LogisticRegression().fit(reduced, labels)
        print(lsa.score(reduced, labels))
        """);

    // One finding of the rule, at the path's first line, saying what it says, with the path's lines.
    private static async Task SingleWithPathAsync(string rule, string source, string says, int?[] pathLines)
    {
        var finding = Assert.Single(await LintHarness.FindingsAsync(rule, source));
        Assert.Equal(pathLines[0], finding.Line);
        Assert.Contains(says, finding.Message, StringComparison.Ordinal);
        Assert.Equal(pathLines, finding.Flow.Select(step => step.Line));
    }
}
