using Repro.Interop.Models;

namespace Repro.Server.Ui;

/// <summary>A registered version as the model page shows it: its frozen lineage, the verifications made since, and the run's manifest digest now (null: gone).</summary>
internal sealed record ModelVersionView(RegisteredModelVersion Registered, IReadOnlyList<ModelVerification> VerifiedSince, string? RunDigestNow);
