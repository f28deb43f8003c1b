namespace Repro.Domain;

public sealed record OsInfo(string Name, string? Version, string? Id);
