namespace Repro.Capture;

/// <summary>
/// Which environment variables are recorded with their values. Only an allowlist of variables
/// known to change results is kept; every other variable is recorded by name only; anything
/// whose name looks like a credential is "[redacted]" even when allowlisted.
/// </summary>
public static class EnvironmentVariablePolicy
{
    public const string Redacted = "[redacted]";

    private static readonly string[] CredentialMarkers = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH"];

    /// <summary>Exact names whose values are recorded.</summary>
    public static IReadOnlyList<string> AllowedNames { get; } =
    [
        "PYTHONHASHSEED", "PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONOPTIMIZE", "PYTHONDONTWRITEBYTECODE",
        "CUDA_VISIBLE_DEVICES", "CUBLAS_WORKSPACE_CONFIG", "CUDA_LAUNCH_BLOCKING", "NVIDIA_TF32_OVERRIDE",
        "XLA_FLAGS", "REPRO_SEED", "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV", "PATH",
        "LD_LIBRARY_PATH", "LD_PRELOAD", "LANG", "LC_ALL", "LC_NUMERIC", "TZ", "HIP_VISIBLE_DEVICES",
    ];

    /// <summary>Name prefixes whose values are recorded (thread pools, BLAS, frameworks).</summary>
    public static IReadOnlyList<string> AllowedPrefixes { get; } =
    [
        "MKL_", "TF_", "OMP_", "KMP_", "OPENBLAS_", "GOTO_", "BLIS_", "VECLIB_", "NUMEXPR_", "CUDNN_",
        "NCCL_", "TORCH_", "PYTORCH_", "JAX_", "XGBOOST_", "SKLEARN_", "DOTNET_", "REPRO_",
    ];

    public static bool IsCredential(string name)
    {
        var upper = name.ToUpperInvariant();
        return CredentialMarkers.Any(marker => upper.Contains(marker, StringComparison.Ordinal));
    }

    public static bool IsAllowed(string name) =>
        AllowedNames.Contains(name, StringComparer.Ordinal)
        || AllowedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))
        || name.EndsWith("_NUM_THREADS", StringComparison.Ordinal);

    /// <summary>Splits variables into recorded values and names only.</summary>
    public static (SortedDictionary<string, string> Values, List<string> NamesOnly) Apply(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (name, value) in variables)
        {
            if (IsCredential(name))
            {
                values[name] = Redacted;
            }
            else if (IsAllowed(name))
            {
                values[name] = UrlRedactor.RedactAll(value);
            }
            else
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return (values, names);
    }
}
