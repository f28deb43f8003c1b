
namespace Repro.Storage.Sql.Tracking;

/// <summary>The tracking module's tables, beside the run store's: experiments, MLflow run attributes, full metric history.</summary>
internal static class TrackingSchema
{
    public const string Module = "tracking";

    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE tracking_experiments(
            experiment_id TEXT PRIMARY KEY,
            number BIGINT,
            name TEXT NOT NULL UNIQUE,
            artifact_location TEXT NOT NULL,
            lifecycle_stage TEXT NOT NULL,
            creation_time BIGINT NOT NULL,
            last_update_time BIGINT NOT NULL);
        CREATE TABLE tracking_experiment_tags(
            experiment_id TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY(experiment_id, key));
        CREATE TABLE tracking_runs(
            run_id TEXT PRIMARY KEY,
            experiment_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            status TEXT NOT NULL,
            start_time BIGINT,
            end_time BIGINT,
            lifecycle_stage TEXT NOT NULL,
            artifact_uri TEXT NOT NULL,
            linked BIGINT NOT NULL);
        CREATE INDEX tracking_runs_experiment ON tracking_runs(experiment_id, start_time);
        CREATE TABLE tracking_metrics(
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            step BIGINT NOT NULL,
            timestamp BIGINT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            is_nan BIGINT NOT NULL);
        CREATE INDEX tracking_metrics_run ON tracking_metrics(run_id, key, step, timestamp);
        CREATE TABLE tracking_latest(
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            step BIGINT NOT NULL,
            timestamp BIGINT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            is_nan BIGINT NOT NULL,
            PRIMARY KEY(run_id, key));
        INSERT INTO tracking_experiments(experiment_id, number, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
        VALUES ('0', 0, 'Default', '', 'active', 0, 0);
        """,
        """
        ALTER TABLE tracking_runs ADD COLUMN owner_host TEXT;
        ALTER TABLE tracking_runs ADD COLUMN owner_pid BIGINT;
        """,
        // The history is read a run's metric at a time and sorted then (a page of get-history, the
        // seal): an index on (run, key) alone serves that, and costs each logged point a third less
        // than one that also orders by step and timestamp (PostgreSQL keeps equal keys as one list).
        """
        DROP INDEX tracking_metrics_run;
        CREATE INDEX tracking_metrics_run_key ON tracking_metrics(run_id, key);
        """,
        // A batch's points one row a key, packed (TrackingStore.History); tracking_metrics keeps
        // the points logged before. BYTEA: PostgreSQL's binary type; SQLite keeps a blob as it is
        // in a column of any affinity.
        """
        CREATE TABLE tracking_points(
            run_id TEXT NOT NULL,
            key TEXT NOT NULL,
            points BIGINT NOT NULL,
            data BYTEA NOT NULL);
        CREATE INDEX tracking_points_run_key ON tracking_points(run_id, key);
        """,
    ];
}
