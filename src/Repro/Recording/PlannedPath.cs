namespace Repro.Recording;

/// <summary>A path of a run plan: as the user (or the record) gave it, and resolved against the working folder.</summary>
public sealed record PlannedPath(string Given, string Full);
