namespace Repro.Model;

/// <summary>CPU model and the instruction-set flags that change floating-point results.</summary>
public sealed record CpuInfo
{
    public string? Model { get; init; }

    public int LogicalCores { get; init; }

    /// <summary>Cores this process may use (affinity, container limits).</summary>
    public int AvailableCores { get; init; }

    public IReadOnlyList<string> Flags { get; init; } = [];
}
