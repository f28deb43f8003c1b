namespace Repro.Model;

public sealed record GpuInfo
{
    public bool Present { get; init; }

    public IReadOnlyList<GpuDevice> Devices { get; init; } = [];

    public string? Driver { get; init; }

    public string? Cuda { get; init; }

    /// <summary>Why no GPU is recorded (for example "nvidia-smi not found").</summary>
    public string? Note { get; init; }
}
