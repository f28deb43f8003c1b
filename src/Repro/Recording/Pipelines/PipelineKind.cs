namespace Repro.Recording.Pipelines;

/// <summary>Which file a pipeline came from: repro's own or a DVC project read as it is.</summary>
public enum PipelineKind
{
    /// <summary><c>repro.yaml</c> + <c>repro.lock</c>, SHA-256 hashes.</summary>
    Repro,

    /// <summary><c>dvc.yaml</c> + <c>dvc.lock</c>, DVC's md5 hashes.</summary>
    Dvc,
}
