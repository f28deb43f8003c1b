using System.CommandLine;
using Repro.Capture.Probe;

namespace Repro.Cli.Commands;

/// <summary><c>--no-probe</c> and <c>--probe-every</c>, shared by <c>repro run</c>, <c>repro verify</c> and <c>repro seeds</c>.</summary>
public sealed class ProbeFlags
{
    private readonly Option<bool> _noProbe = new("--no-probe") { Description = "Do not load the in-process probe into a Python command (no seeding from --seed, no trace; also `probe: false` in .repro/config.yaml)." };
    private readonly Option<int?> _every = new("--probe-every") { Description = "Fingerprint a PyTorch model's parameters every K optimizer steps (default 100)." };
    private bool _withEvery;

    public void AddTo(Command command, bool withEvery)
    {
        command.Options.Add(_noProbe);
        _withEvery = withEvery;
        if (withEvery)
        {
            command.Options.Add(_every);
        }
    }

    /// <summary>
    /// The settings given, unchecked: <c>--no-probe</c> turns the probe off, <c>--probe-every</c> is kept as given
    /// (even with <c>--no-probe</c>) so that <see cref="Validate"/> still names a value below 1.
    /// </summary>
    public ProbeSettings Read(ParseResult parse) => new()
    {
        Enabled = !parse.GetValue(_noProbe),
        Every = (_withEvery ? parse.GetValue(_every) : null) ?? ProbeSettings.DefaultEvery,
    };

    /// <summary>The problem of <paramref name="settings"/>, for a settings record's <c>Validate</c>: <c>--probe-every</c> below 1.</summary>
    public static ValidationResult Validate(ProbeSettings settings) =>
        settings.Problem() is { } problem ? ValidationResult.Error(problem) : ValidationResult.Success;
}
