namespace Repro.Cli.Tests.Mlflow;

/// <summary>
/// Python scripts (urllib only: the mlflow package is not installable here) that send exactly the
/// requests MLflow's Python client (RestStore, mlflow 2.x) sends for the fluent API calls named in
/// their comments, to MLFLOW_TRACKING_URI with MLFLOW_TRACKING_TOKEN if set.
/// </summary>
public static class MlflowClientScripts
{
    private const string Client = """
        import getpass, json, os, sys, time, urllib.error, urllib.parse, urllib.request

        URI = os.environ["MLFLOW_TRACKING_URI"].rstrip("/")

        def call(method, endpoint, body):
            # mlflow.utils.rest_utils.call_endpoint: GET sends the fields as query parameters,
            # POST as a JSON body; int64 fields are JSON numbers (message_to_json).
            url = f"{URI}/api/2.0/mlflow/{endpoint}"
            headers = {"User-Agent": "mlflow-python-client/2.9.2"}
            token = os.environ.get("MLFLOW_TRACKING_TOKEN")
            if token:
                headers["Authorization"] = f"Bearer {token}"
            data = None
            if method == "GET":
                url += "?" + urllib.parse.urlencode(body, doseq=True)
            else:
                headers["Content-Type"] = "application/json"
                data = json.dumps(body).encode()
            request = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request) as response:
                    return json.loads(response.read() or b"{}")
            except urllib.error.HTTPError as error:
                sys.exit(f"{endpoint}: HTTP {error.code} {error.read().decode()}")

        def now():
            return int(time.time() * 1000)

        """;

    /// <summary><c>mlflow.start_run(); log_param("lr", 0.01); log_metric("loss", v, step=i); set_tag("stage", "dev"); end_run()</c>; prints the run id.</summary>
    public const string Train = Client + """
        run_id = os.environ.get("MLFLOW_RUN_ID")
        if run_id:
            # start_run() resumes the run MLFLOW_RUN_ID names: get_run, then update_run_info(RUNNING).
            run = call("GET", "runs/get", {"run_uuid": run_id, "run_id": run_id})["run"]
            assert run["info"]["lifecycle_stage"] == "active", run
            call("POST", "runs/update", {"run_uuid": run_id, "run_id": run_id, "status": "RUNNING"})
        else:
            # start_run() creates a run in the default experiment with the context tags.
            run = call("POST", "runs/create", {
                "experiment_id": "0",
                "user_id": getpass.getuser(),
                "start_time": now(),
                "tags": [
                    {"key": "mlflow.user", "value": getpass.getuser()},
                    {"key": "mlflow.source.name", "value": "train.py"},
                    {"key": "mlflow.source.type", "value": "LOCAL"},
                ],
            })["run"]
            run_id = run["info"]["run_id"]
        lr = sys.argv[1] if len(sys.argv) > 1 else "0.01"
        call("POST", "runs/log-parameter", {"run_uuid": run_id, "run_id": run_id, "key": "lr", "value": lr})
        for step, loss in enumerate([0.9, 0.5, float(sys.argv[2]) if len(sys.argv) > 2 else 0.25]):
            call("POST", "runs/log-metric", {"run_uuid": run_id, "run_id": run_id, "key": "loss", "value": loss, "timestamp": now(), "step": step})
        call("POST", "runs/set-tag", {"run_uuid": run_id, "run_id": run_id, "key": "stage", "value": "dev"})
        # end_run(): set_terminated -> update_run_info(FINISHED, end_time).
        call("POST", "runs/update", {"run_uuid": run_id, "run_id": run_id, "status": "FINISHED", "end_time": now()})
        print(run_id)
        """;

    /// <summary>
    /// <c>mlflow.search_runs(["0"], filter_string=argv[1], order_by=["metrics.loss ASC"])</c>, paging as
    /// the client does, then <c>MlflowClient().get_metric_history(first, "loss")</c>; prints JSON.
    /// </summary>
    public const string Search = Client + """
        runs, token = [], None
        while True:
            body = {"experiment_ids": ["0"], "filter": sys.argv[1], "run_view_type": "ACTIVE_ONLY", "max_results": 1, "order_by": ["metrics.loss ASC"]}
            if token:
                body["page_token"] = token
            page = call("POST", "runs/search", body)
            runs += page.get("runs", [])
            token = page.get("next_page_token")
            if not token:
                break
        ids = [r["info"]["run_id"] for r in runs]
        history = []
        if ids:
            history = call("GET", "metrics/get-history", {"run_uuid": ids[0], "run_id": ids[0], "metric_key": "loss"})["metrics"]
        print(json.dumps({"ids": ids, "history": [[m["step"], m["value"]] for m in history]}, separators=(",", ":")))
        """;
}
