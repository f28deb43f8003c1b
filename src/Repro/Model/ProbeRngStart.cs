namespace Repro.Model;

/// <summary>The SHA-256 of a global RNG's state as its library was imported, unseeded: two runs that differ here started from different states.</summary>
public sealed record ProbeRngStart(string Library, string State);
