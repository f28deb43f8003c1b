namespace Repro.Model;

public sealed record OsInfo(string Name, string? Version, string? Id);
