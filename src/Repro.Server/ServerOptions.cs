namespace Repro.Server;

/// <summary>How <c>repro ui</c> listens.</summary>
public sealed record ServerOptions
{
    /// <summary>Address to bind: 127.0.0.1 by default; any other address requires a token.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="RunningServer.Url"/>).</summary>
    public int Port { get; init; } = 5000;

    /// <summary>Bearer token every request must carry; null on loopback means none is asked.</summary>
    public string? Token { get; init; }

    /// <summary>Largest request body accepted, in bytes (MLflow's clients stay far below it).</summary>
    public long MaxBodyBytes { get; init; } = ServerLimits.MaxBodyBytes.Value;

    /// <summary>Longest query string accepted, in characters.</summary>
    public long MaxQueryChars { get; init; } = ServerLimits.MaxQueryChars.Value;
}
