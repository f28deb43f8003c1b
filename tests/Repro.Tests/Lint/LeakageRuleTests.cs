namespace Repro.Tests.Lint;

public sealed class LeakageRuleTests
{
    private const string Load = """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression
        df = pd.read_csv("data.csv")
        X = df.drop(columns=["y"])
        y = df["y"]

        """;

    [Fact]
    public Task LEAK001_fires_when_a_scaler_is_fitted_before_the_split() => LintHarness.TriggersAsync("LEAK001", Load + """
        X_scaled = StandardScaler().fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X_scaled, y, random_state=0)
        """, 8);

    [Fact]
    public Task LEAK001_is_silent_when_the_same_scaler_is_fitted_after_the_split() => LintHarness.SilentAsync("LEAK001", Load + """
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        scaler = StandardScaler()
        X_train = scaler.fit_transform(X_train)
        X_test = scaler.transform(X_test)
        """);

    [Fact]
    public Task LEAK001_fires_when_a_scaler_fitted_on_all_rows_transforms_the_parts() => LintHarness.TriggersAsync("LEAK001", Load + """
        scaler = StandardScaler()
        scaler.fit(X)
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        X_train = scaler.transform(X_train)
        """, 9);

    [Fact]
    public Task LEAK001_fires_on_fillna_with_the_mean_of_all_rows() => LintHarness.TriggersAsync("LEAK001", Load + """
        df["age"] = df["age"].fillna(df["age"].mean())
        train, test = train_test_split(df, random_state=0)
        """, 8);

    [Fact]
    public Task LEAK001_is_silent_on_fillna_with_a_constant_or_the_training_mean() => LintHarness.SilentAsync("LEAK001", Load + """
        df["age"] = df["age"].fillna(0)
        train, test = train_test_split(df, random_state=0)
        train = train.fillna(train.mean())
        test = test.fillna(train.mean())
        """);

    [Fact]
    public Task LEAK001_is_silent_for_a_pipeline_inside_cross_validation() => LintHarness.SilentAsync("LEAK001", Load + """
        from sklearn.pipeline import make_pipeline
        from sklearn.model_selection import cross_val_score
        pipe = make_pipeline(StandardScaler(), LogisticRegression())
        scores = cross_val_score(pipe, X, y, cv=5)
        """);

    [Fact]
    public Task LEAK001_fires_when_scaled_data_goes_into_cross_validation() => LintHarness.TriggersAsync("LEAK001", Load + """
        from sklearn.model_selection import cross_val_score
        X_scaled = StandardScaler().fit_transform(X)
        scores = cross_val_score(LogisticRegression(), X_scaled, y, cv=5)
        """, 9);

    [Fact]
    public Task LEAK002_fires_on_feature_selection_before_the_split() => LintHarness.TriggersAsync("LEAK002", Load + """
        from sklearn.feature_selection import SelectKBest, f_classif
        X_sel = SelectKBest(f_classif, k=10).fit_transform(X, y)
        X_train, X_test, y_train, y_test = train_test_split(X_sel, y, random_state=0)
        """, 9);

    [Fact]
    public Task LEAK002_is_silent_on_feature_selection_after_the_split() => LintHarness.SilentAsync("LEAK002", Load + """
        from sklearn.feature_selection import SelectKBest, f_classif
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        selector = SelectKBest(f_classif, k=10).fit(X_train, y_train)
        X_train = selector.transform(X_train)
        X_test = selector.transform(X_test)
        """);

    [Fact]
    public Task LEAK003_fires_on_smote_before_the_split() => LintHarness.TriggersAsync("LEAK003", Load + """
        from imblearn.over_sampling import SMOTE
        X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
        X_train, X_test, y_train, y_test = train_test_split(X_res, y_res, random_state=0)
        """, 9);

    [Fact]
    public Task LEAK003_is_silent_on_smote_of_the_training_part() => LintHarness.SilentAsync("LEAK003", Load + """
        from imblearn.over_sampling import SMOTE
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        X_train, y_train = SMOTE(random_state=0).fit_resample(X_train, y_train)
        """);

    [Fact]
    public Task LEAK004_fires_when_two_models_are_scored_on_the_test_split() => LintHarness.TriggersAsync("LEAK004", Load + """
        from sklearn.ensemble import RandomForestClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        a = LogisticRegression().fit(X_train, y_train)
        b = RandomForestClassifier(random_state=0).fit(X_train, y_train)
        print(a.score(X_test, y_test))
        print(b.score(X_test, y_test))
        """, 13);

    [Fact]
    public Task LEAK004_fires_when_models_are_scored_on_test_in_a_loop() => LintHarness.TriggersAsync("LEAK004", Load + """
        from sklearn.svm import SVC
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        for c in [0.1, 1.0, 10.0]:
            model = SVC(C=c).fit(X_train, y_train)
            print(c, model.score(X_test, y_test))
        """, 12);

    [Fact]
    public Task LEAK004_is_silent_when_models_are_compared_by_cross_validation_and_tested_once() => LintHarness.SilentAsync("LEAK004", Load + """
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import cross_val_score
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        for model in [LogisticRegression(), RandomForestClassifier(random_state=0)]:
            print(cross_val_score(model, X_train, y_train, cv=5).mean())
        best = RandomForestClassifier(random_state=0).fit(X_train, y_train)
        print(best.score(X_test, y_test))
        """);

    [Fact]
    public Task LEAK004_is_silent_when_models_are_compared_on_a_validation_split() => LintHarness.SilentAsync("LEAK004", Load + """
        from sklearn.ensemble import RandomForestClassifier
        X_rest, X_test, y_rest, y_test = train_test_split(X, y, random_state=0)
        X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, random_state=0)
        a = LogisticRegression().fit(X_train, y_train)
        b = RandomForestClassifier(random_state=0).fit(X_train, y_train)
        print(a.score(X_val, y_val), b.score(X_val, y_val))
        print(b.score(X_test, y_test))
        """);

    [Fact]
    public Task LEAK004_fires_when_a_search_is_fitted_on_the_test_split() => LintHarness.TriggersAsync("LEAK004", Load + """
        from sklearn.model_selection import GridSearchCV
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1]})
        search.fit(X_test, y_test)
        """, 11);

    [Fact]
    public Task LEAK005_fires_when_the_model_is_only_scored_on_its_training_data() => LintHarness.TriggersAsync("LEAK005", Load + """
        from sklearn.metrics import accuracy_score
        model = LogisticRegression().fit(X, y)
        print(accuracy_score(y, model.predict(X)))
        """, 10);

    [Fact]
    public Task LEAK005_is_silent_when_held_out_data_is_scored() => LintHarness.SilentAsync("LEAK005", Load + """
        from sklearn.metrics import accuracy_score
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        model = LogisticRegression().fit(X_train, y_train)
        print(accuracy_score(y_train, model.predict(X_train)))
        print(accuracy_score(y_test, model.predict(X_test)))
        """);

    [Fact]
    public Task LEAK005_is_silent_when_a_separate_test_file_is_scored() => LintHarness.SilentAsync("LEAK005", Load + """
        test = pd.read_csv("test.csv")
        model = LogisticRegression().fit(X, y)
        print(model.score(test.drop(columns=["y"]), test["y"]))
        """);

    [Fact]
    public Task Leakage_is_followed_inside_a_main_function() => LintHarness.TriggersAsync("LEAK001", """
        from sklearn.model_selection import train_test_split
        from sklearn.impute import SimpleImputer

        def main(X, y):
            X = SimpleImputer().fit_transform(X)
            return train_test_split(X, y, random_state=0)
        """, 5);

    [Fact]
    public Task LEAK005_is_silent_for_train_and_test_files_named_by_one_config_object() => LintHarness.SilentAsync("LEAK005", """
        import argparse
        import pandas as pd
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.metrics import accuracy_score
        args = argparse.ArgumentParser().parse_args()
        train, test = pd.read_csv(args.train), pd.read_csv(args.test)
        model = RandomForestClassifier(random_state=0).fit(train.drop(columns="y"), train["y"])
        print(accuracy_score(test["y"], model.predict(test.drop(columns="y"))))
        """);

    [Fact]
    public Task LEAK005_is_silent_when_a_loader_returns_train_and_test_apart() => LintHarness.SilentAsync("LEAK005", """
        from tensorflow import keras
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        model = keras.Sequential([keras.layers.Dense(10)])
        model.fit(x_train, y_train, epochs=1)
        model.evaluate(x_test, y_test)
        """);

    [Fact]
    public Task LEAK001_is_silent_for_a_scaler_fitted_per_fold_behind_enumerate() => LintHarness.SilentAsync("LEAK001", """
        import numpy as np
        from sklearn.model_selection import KFold
        from sklearn.preprocessing import StandardScaler
        X = np.load("X.npy")
        for fold, (tr, va) in enumerate(KFold(n_splits=5).split(X)):
            scaler = StandardScaler().fit(X[tr])
            X_va = scaler.transform(X[va])
        """);

    [Fact]
    public Task LEAK004_fires_when_the_test_split_is_the_early_stopping_set() => LintHarness.TriggersAsync("LEAK004", Load + """
        import xgboost as xgb
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        model = xgb.XGBClassifier(random_state=0, early_stopping_rounds=10)
        model.fit(X_train, y_train, eval_set=[(X_test, y_test)])
        """, 11);

    [Fact]
    public Task LEAK004_is_silent_when_early_stopping_watches_a_validation_split() => LintHarness.SilentAsync("LEAK004", Load + """
        import xgboost as xgb
        X_rest, X_test, y_rest, y_test = train_test_split(X, y, random_state=0)
        X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, random_state=0)
        model = xgb.XGBClassifier(random_state=0, early_stopping_rounds=10)
        model.fit(X_train, y_train, eval_set=[(X_val, y_val)])
        print(model.score(X_test, y_test))
        """);

    [Fact]
    public Task LEAK001_fires_when_a_column_transformer_is_fitted_before_the_split() => LintHarness.TriggersAsync("LEAK001", Load + """
        from sklearn.compose import make_column_transformer
        from sklearn.impute import SimpleImputer
        pre = make_column_transformer((SimpleImputer(), ["age"]), remainder="passthrough")
        X_ready = pre.fit_transform(X)
        X_train, X_test, y_train, y_test = train_test_split(X_ready, y, random_state=0)
        """, 11);

    [Fact]
    public Task LEAK001_is_silent_for_a_pipeline_fitted_on_the_training_part() => LintHarness.SilentAsync("LEAK001", Load + """
        from sklearn.pipeline import make_pipeline
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
        print(model.score(X_test, y_test))
        """);

    [Fact]
    public Task LEAK005_is_silent_for_separate_files_read_inside_main_with_a_global_label() => LintHarness.SilentAsync("LEAK005", """
        import pandas as pd
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.metrics import accuracy_score
        LABEL = "approved"

        def main(args):
            train, test = pd.read_csv(args.train), pd.read_csv(args.test)
            x_train, y_train = train.drop(columns=LABEL), train[LABEL]
            x_test, y_test = test.drop(columns=LABEL), test[LABEL]
            model = RandomForestClassifier(random_state=0)
            model.fit(x_train, y_train)
            print(accuracy_score(y_test, model.predict(x_test)))
        """);

    [Fact]
    public Task LEAK004_fires_when_two_models_predictions_on_test_are_scored_by_a_metric() => LintHarness.TriggersAsync("LEAK004", Load + """
        from sklearn.metrics import f1_score
        from sklearn.ensemble import RandomForestClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        a = LogisticRegression().fit(X_train, y_train)
        b = RandomForestClassifier(random_state=0).fit(X_train, y_train)
        print(f1_score(y_test, a.predict(X_test)))
        print(f1_score(y_test, b.predict(X_test)))
        """, 14);

    [Fact]
    public Task LEAK004_is_silent_for_an_ensemble_of_two_models_scored_once() => LintHarness.SilentAsync("LEAK004", Load + """
        from sklearn.metrics import roc_auc_score
        from sklearn.ensemble import RandomForestClassifier
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        a = LogisticRegression().fit(X_train, y_train)
        b = RandomForestClassifier(random_state=0).fit(X_train, y_train)
        blend = (a.predict_proba(X_test)[:, 1] + b.predict_proba(X_test)[:, 1]) / 2
        print(roc_auc_score(y_test, blend))
        """);

    [Fact]
    public Task LEAK004_is_silent_when_each_function_scores_its_own_model_on_its_own_split() => LintHarness.SilentAsync("LEAK004", """
        from sklearn.model_selection import train_test_split
        from sklearn.linear_model import LogisticRegression

        def experiment_a(X, y):
            X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
            return LogisticRegression().fit(X_train, y_train).score(X_test, y_test)

        def experiment_b(X, y):
            X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=1)
            return LogisticRegression(C=0.1).fit(X_train, y_train).score(X_test, y_test)
        """);
}
