namespace Repro.Model;

/// <summary>A global RNG the probe seeded (<c>random</c>, <c>numpy</c>, <c>torch</c>, <c>torch.cuda</c>) and the seed it used.</summary>
public sealed record ProbeSeed(string Library, long Seed);
