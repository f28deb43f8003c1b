namespace Repro.Blobs.Storage.Search;

/// <summary>
/// A filter, order_by or page token the caller got wrong. The message is MLflow's wording where
/// MLflow has one; the API maps it to <see cref="ErrorCode"/> (HTTP 400), the UI shows it.
/// </summary>
public sealed class SearchFilterException : Exception
{
    public SearchFilterException()
        : this("invalid search filter")
    {
    }

    public SearchFilterException(string message)
        : base(message)
    {
    }

    public SearchFilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>MLflow's error code for every one of these.</summary>
    public const string ErrorCode = "INVALID_PARAMETER_VALUE";
}
