using Repro.Capture;

namespace Repro.Execution;

/// <summary>
/// The container engine repro drives: podman when installed, else docker when both its client
/// and its engine answer (<c>docker info</c>). Both take the same <c>run</c>/<c>image inspect</c>
/// arguments repro uses, and both see host paths for bind mounts.
/// </summary>
public sealed record ContainerEngine
{
    public const string InstallHint = "install podman (Debian: apt-get install podman runc) or start a docker engine";

    /// <summary>podman or docker.</summary>
    public required string Name { get; init; }

    public required string Executable { get; init; }

    public string? Version { get; init; }

    /// <summary>
    /// Finds the engine on <paramref name="pathVariable"/>. Costs one process start for podman
    /// (its version), one for docker (<c>docker info</c>, which needs the engine to answer).
    /// Throws exit 3 with how to install one when neither is usable.
    /// </summary>
    public static async Task<ContainerEngine> DetectAsync(string? pathVariable, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        if (ExecutableResolver.Find("podman", pathVariable) is { } podman)
        {
            var answer = await ProcessCapture.RunAsync(podman, ["version", "--format", "{{.Client.Version}}"], null, environment, cancellationToken, TimeSpan.FromSeconds(30));
            if (answer is { ExitCode: 0 })
            {
                return new ContainerEngine { Name = "podman", Executable = podman, Version = answer.StdoutText.Trim() };
            }

            throw ReproException.CannotExecute($"podman does not work here: {FirstLine(answer?.Stderr)}");
        }

        var docker = ExecutableResolver.Find("docker", pathVariable);
        if (docker is not null)
        {
            var answer = await ProcessCapture.RunAsync(docker, ["info", "--format", "{{.ServerVersion}}"], null, environment, cancellationToken, TimeSpan.FromSeconds(30));
            if (answer is { ExitCode: 0 } && answer.StdoutText.Trim().Length > 0)
            {
                return new ContainerEngine { Name = "docker", Executable = docker, Version = answer.StdoutText.Trim() };
            }

            throw ReproException.CannotExecute($"no container engine: podman is not installed and docker's engine does not answer ({FirstLine(answer?.Stderr)}); {InstallHint}");
        }

        throw ReproException.CannotExecute($"no container engine: podman is not installed; {InstallHint}");
    }

    internal static string FirstLine(string? text)
    {
        var line = (text ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return line ?? "no message";
    }
}
