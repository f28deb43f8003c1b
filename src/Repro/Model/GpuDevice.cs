namespace Repro.Model;

public sealed record GpuDevice(string Name, string? MemoryTotal);
