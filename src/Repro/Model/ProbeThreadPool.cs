namespace Repro.Model;

/// <summary>
/// A BLAS or OpenMP pool the process loaded: from threadpoolctl when the script's libraries
/// imported it (<see cref="Source"/> "threadpoolctl"), else from the libraries mapped ("maps").
/// </summary>
public sealed record ProbeThreadPool(string? Api, string? Library, string? Version, int? Threads, string? File, string Source);
