namespace Repro.Tests.Lint;

/// <summary>
/// Patterns of real notebooks the leakage rules follow: group statistics broadcast onto
/// rows or aggregated into rows of their own, causal windows, splits by position. Each
/// with a clean variant a naive rule would report.
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
}
