namespace Repro.Model;

/// <summary>A path and what happened to it (git status letters, or a reason).</summary>
public sealed record FileChange(string Path, string Status);
