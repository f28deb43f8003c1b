namespace Repro.Interop.Tracking;

/// <summary>
/// A tracking request MLflow would refuse, with MLflow's error code (INVALID_PARAMETER_VALUE,
/// RESOURCE_DOES_NOT_EXIST, ...): the API turns it into MLflow's error body and HTTP status.
/// </summary>
public sealed class TrackingException : Exception
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string InvalidStateCode = "INVALID_STATE";
    public const string BadRequestCode = "BAD_REQUEST";

    public TrackingException(string errorCode, string message)
        : base(message) => ErrorCode = errorCode;

    public TrackingException()
        : this(InvalidParameterValue, "invalid request")
    {
    }

    public TrackingException(string message)
        : this(InvalidParameterValue, message)
    {
    }

    public TrackingException(string message, Exception innerException)
        : base(message, innerException) => ErrorCode = InvalidParameterValue;

    public string ErrorCode { get; }

    /// <summary>The HTTP status MLflow answers this code with.</summary>
    public int HttpStatus => ErrorCode == ResourceDoesNotExist ? 404 : 400;

    public static TrackingException Invalid(string message) => new(InvalidParameterValue, message);

    public static TrackingException NotFound(string message) => new(ResourceDoesNotExist, message);

    public static TrackingException AlreadyExists(string message) => new(ResourceAlreadyExists, message);

    public static TrackingException InvalidState(string message) => new(InvalidStateCode, message);
}
