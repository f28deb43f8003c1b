namespace Repro.Interop.Tracking;

/// <summary>
/// The MLflow tracking store, port of the MLflow API and of linked runs; each concern is an
/// interface of its own so a caller can ask for just the part it uses. The SQL adapter keeps it
/// in the run store's database.
/// </summary>
public interface ITrackingStore : IExperimentStore, ITrackedRunStore, ITrackedMetricLog, ITrackedRunSearch, ILinkedRunStore, IDisposable;
