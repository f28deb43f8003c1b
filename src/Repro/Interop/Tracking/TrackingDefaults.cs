namespace Repro.Interop.Tracking;

/// <summary>MLflow's fixed names every tracking store and client agree on.</summary>
public static class TrackingDefaults
{
    /// <summary>The experiment a run goes to when none is named ("Default").</summary>
    public const string DefaultExperimentId = "0";

    public const string RunNameTag = "mlflow.runName";

    /// <summary>Where a workspace's tracked artifacts go: <c>.repro/mlartifacts</c>, as a file URI.</summary>
    public static string ArtifactRootFor(string reproDirectory) => new Uri(Path.Combine(reproDirectory, "mlartifacts")).AbsoluteUri;
}
