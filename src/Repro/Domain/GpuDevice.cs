namespace Repro.Domain;

public sealed record GpuDevice(string Name, string? MemoryTotal);
