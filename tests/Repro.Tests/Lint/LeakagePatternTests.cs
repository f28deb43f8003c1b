namespace Repro.Tests.Lint;

/// <summary>
/// Patterns of real notebooks the leakage rules follow: group statistics broadcast onto
/// rows or aggregated into rows of their own, causal windows, splits by position, calibration
/// curves as scores, thresholds read off test scores, held-out folds that stop training. Each with
/// a clean variant a naive rule would report.
/// </summary>
public sealed class LeakagePatternTests
{
    private const string Load = """
        import pandas as pd
        from sklearn.model_selection import train_test_split, cross_val_score
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("data.csv")
        X = df.drop(columns=["y"])
        y = df["y"]

        """;

    [Fact]
    public Task Models_compared_by_calibration_curves_on_the_test_split_are_a_multi_test_leak() => LintHarness.TriggersAsync("LEAK004", Load + """
        from sklearn.calibration import calibration_curve
        from sklearn.tree import DecisionTreeClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        for model in [LogisticRegression(), DecisionTreeClassifier(random_state=0)]:
            model.fit(X_train, y_train)
            fraction, predicted = calibration_curve(y_test, model.predict_proba(X_test)[:, 1], n_bins=8)
        """, 13);

    [Fact]
    public Task One_model_shown_by_its_calibration_curve_and_a_score_on_the_test_split_is_not_a_multi_test_leak() => LintHarness.SilentAsync("LEAK004", Load + """
        from sklearn.calibration import calibration_curve
        from sklearn.metrics import brier_score_loss
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        model = LogisticRegression().fit(X_train, y_train)
        probabilities = model.predict_proba(X_test)[:, 1]
        fraction, predicted = calibration_curve(y_test, probabilities, n_bins=8)
        print(brier_score_loss(y_test, probabilities))
        """);

    [Fact]
    public Task A_group_median_broadcast_onto_every_row_before_cross_validation_is_reported() => LintHarness.TriggersAsync("LEAK001", Load + """
        features = pd.DataFrame()
        features["area_by_town"] = df.groupby("town")["area"].transform("median")
        print(cross_val_score(LogisticRegression(), X.join(features), y, cv=5).mean())
        """, 9);

    [Fact]
    public Task A_group_mean_broadcast_onto_the_training_part_only_is_not_reported() => LintHarness.SilentAsync("LEAK001", Load + """
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        X_train["area_by_town"] = X_train.groupby("town")["area"].transform("mean")
        X_test["area_by_town"] = X_test["town"].map(X_train.groupby("town")["area"].mean())
        print(LogisticRegression().fit(X_train, y_train).score(X_test, y_test))
        """);

    [Fact]
    public Task Group_means_mapped_back_onto_the_rows_before_the_split_are_target_encoding_and_reported() => LintHarness.TriggersAsync("LEAK001", Load + """
        means = df.groupby("town")["y"].mean()
        X["town_encoded"] = X["town"].map(means)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        """, 8);

    [Fact]
    public Task Rows_aggregated_per_day_and_then_split_are_not_a_preprocessing_leak() => LintHarness.SilentAsync("LEAK001", Load + """
        from sklearn.linear_model import LinearRegression
        daily = df.groupby(["store", "date"]).mean().unstack("store")
        target = daily.loc[:, "sales"]
        calendar = pd.DataFrame(index=target.index)
        calendar["day"] = calendar.index.dayofyear
        model = LinearRegression().fit(calendar, target)
        residual = target - model.predict(calendar)
        X_train, X_valid, y_train, y_valid = train_test_split(calendar, residual, shuffle=False)
        print(LinearRegression().fit(X_train, y_train).score(X_valid, y_valid))
        """);

    [Fact]
    public Task A_statistic_of_every_row_before_a_helper_slices_the_frame_into_parts_is_reported() => LintHarness.TriggersAsync("LEAK001", Load + """
        df["gap"] = df["gap"].fillna(df["gap"].max())
        def get_splits(frame, fraction=0.1):
            size = int(len(frame) * fraction)
            train = frame[:-size * 2]
            valid = frame[-size * 2:-size]
            test = frame[-size:]
            return train, valid, test
        train, valid, test = get_splits(df)
        model = LogisticRegression().fit(train.drop(columns=["y"]), train["y"])
        """, 8);

    [Fact]
    public Task A_rolling_mean_before_a_chronological_slice_and_a_scaled_frame_shown_by_its_first_and_last_rows_are_not_reported() => LintHarness.SilentAsync("LEAK001", Load + """
        df["weekly"] = df["sales"].rolling(7).mean()
        train = df[:-30]
        test = df[-30:]
        model = LogisticRegression().fit(train.drop(columns=["y"]), train["y"])
        print(model.score(test.drop(columns=["y"]), test["y"]))
        scaled = StandardScaler().fit_transform(X)
        print(scaled[:5])
        print(scaled[-5:])
        """);

    [Fact]
    public Task A_threshold_read_off_the_test_roc_curve_and_scored_on_the_test_split_is_a_multi_test_leak() => LintHarness.TriggersAsync("LEAK004", Load + """
        import numpy as np
        from sklearn.metrics import roc_curve, confusion_matrix
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        scores = LogisticRegression().fit(X_train, y_train).predict_proba(X_test)[:, 1]
        fpr, tpr, thresholds = roc_curve(y_test, scores)
        best = thresholds[np.argmax(tpr - fpr)]
        print(confusion_matrix(y_test, (scores >= best).astype(int)))
        """, 14);

    [Fact]
    public Task A_threshold_read_off_a_validation_roc_curve_and_an_auc_of_the_test_curve_are_not_a_multi_test_leak() => LintHarness.SilentAsync("LEAK004", Load + """
        import numpy as np
        from sklearn.metrics import roc_curve, auc, roc_auc_score, confusion_matrix
        X_rest, X_test, y_rest, y_test = train_test_split(X, y, random_state=0)
        X_train, X_valid, y_train, y_valid = train_test_split(X_rest, y_rest, random_state=0)
        model = LogisticRegression().fit(X_train, y_train)
        fpr, tpr, thresholds = roc_curve(y_valid, model.predict_proba(X_valid)[:, 1])
        best = thresholds[np.argmax(tpr - fpr)]
        scores = model.predict_proba(X_test)[:, 1]
        print(confusion_matrix(y_test, (scores >= best).astype(int)))
        test_fpr, test_tpr, _ = roc_curve(y_test, scores)
        print(auc(test_fpr, test_tpr), roc_auc_score(y_test, scores))
        """);

    private const string Folds = """
        import numpy as np
        from sklearn import metrics
        from sklearn.model_selection import ShuffleSplit
        from tensorflow.keras.models import Sequential
        from tensorflow.keras.layers import Dense
        from tensorflow.keras.callbacks import EarlyStopping
        x = np.load("x.npy")
        y = np.load("y.npy")
        for train, test in ShuffleSplit(n_splits=10, test_size=0.1, random_state=0).split(x):
            x_train, y_train, x_test, y_test = x[train], y[train], x[test], y[test]
            model = Sequential()
            model.add(Dense(1))
            model.compile(loss="mean_squared_error", optimizer="adam")

        """;

    [Fact]
    public Task A_held_out_fold_that_stops_training_early_and_is_then_scored_is_a_multi_test_leak() => LintHarness.TriggersAsync("LEAK004", Folds + """
            monitor = EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
            model.fit(x_train, y_train, validation_data=(x_test, y_test), callbacks=[monitor], epochs=1000)
            print(metrics.mean_squared_error(model.predict(x_test), y_test))
        """, 15);

    [Fact]
    public Task A_held_out_fold_only_watched_for_its_loss_curve_is_not_a_multi_test_leak() => LintHarness.SilentAsync("LEAK004", Folds + """
            model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=100)
            print(metrics.mean_squared_error(model.predict(x_test), y_test))
        """);

    [Fact]
    public Task Two_networks_compared_by_predict_classes_on_the_test_slice_are_a_multi_test_leak() => LintHarness.TriggersAsync("LEAK004", """
        from sklearn import metrics
        from sklearn.datasets import load_breast_cancer
        from keras.models import Sequential
        from keras.layers import Dense
        cancer = load_breast_cancer()
        X_train, y_train = cancer.data[:340], cancer.target[:340]
        X_test, y_test = cancer.data[340:], cancer.target[340:]
        small = Sequential()
        small.fit(X_train, y_train, epochs=20)
        print(metrics.accuracy_score(y_true=y_test, y_pred=small.predict_classes(X_test)))
        deep = Sequential()
        deep.fit(X_train, y_train, epochs=20)
        print(metrics.accuracy_score(y_true=y_test, y_pred=deep.predict_classes(X_test)))
        """, 13);

    [Fact]
    public Task One_network_shown_by_two_metrics_of_predict_classes_on_the_test_slice_is_not_a_multi_test_leak() => LintHarness.SilentAsync("LEAK004", """
        from sklearn import metrics
        from sklearn.datasets import load_breast_cancer
        from keras.models import Sequential
        cancer = load_breast_cancer()
        X_train, y_train = cancer.data[:340], cancer.target[:340]
        X_test, y_test = cancer.data[340:], cancer.target[340:]
        model = Sequential()
        model.fit(X_train, y_train, epochs=20)
        predictions = model.predict_classes(X_test)
        print(metrics.accuracy_score(y_true=y_test, y_pred=predictions))
        print(metrics.classification_report(y_true=y_test, y_pred=predictions))
        """);
}
