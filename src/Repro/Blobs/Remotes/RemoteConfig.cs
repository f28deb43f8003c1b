using System.Text;
using System.Text.RegularExpressions;
using Repro.Blobs.Storage;
using Repro.Model.Serialization;
using Repro.Model.Workspaces;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Repro.Blobs.Remotes;

/// <summary>
/// The <c>remotes:</c> and <c>default_remote:</c> sections of <c>.repro/config.yaml</c>. Only a
/// name and a URL per remote are stored (the file is committed); the rest of the file, comments
/// included, is kept as it was.
/// </summary>
public sealed partial class RemoteConfig
{
    private RemoteConfig(IReadOnlyList<RemoteSpec> remotes, string? defaultName)
    {
        Remotes = remotes;
        DefaultName = defaultName;
    }

    public IReadOnlyList<RemoteSpec> Remotes { get; }

    /// <summary>The remote named as default, or null (then the first one is the default).</summary>
    public string? DefaultName { get; }

    public RemoteSpec? Default => Remotes.FirstOrDefault(r => r.Name == DefaultName) ?? (Remotes.Count > 0 ? Remotes[0] : null);

    public static async Task<RemoteConfig> ReadAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        if (!File.Exists(workspace.ConfigPath))
        {
            return new RemoteConfig([], null);
        }

        var text = BoundedFile.ReadAllText(workspace.ConfigPath, YamlLimits.MaxFileBytes);
        YamlMappingNode? root;
        try
        {
            var stream = BoundedYaml.Load(text);
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
        }
        catch (YamlException ex)
        {
            throw ReproException.Usage($".repro/config.yaml: malformed YAML at line {ex.Start.Line}: {ex.Message}");
        }

        var remotes = new List<RemoteSpec>();
        string? defaultName = null;
        if (root is null)
        {
            return new RemoteConfig(remotes, null);
        }

        if (root.Children.TryGetValue(new YamlScalarNode("remotes"), out var list))
        {
            if (list is not YamlSequenceNode sequence)
            {
                throw ReproException.Usage(".repro/config.yaml: 'remotes' must be a list of {name, url}");
            }

            foreach (var item in sequence)
            {
                if (item is not YamlMappingNode map
                    || !map.Children.TryGetValue(new YamlScalarNode("name"), out var name) || name is not YamlScalarNode { Value: { } nameText }
                    || !map.Children.TryGetValue(new YamlScalarNode("url"), out var url) || url is not YamlScalarNode { Value: { } urlText })
                {
                    throw ReproException.Usage(".repro/config.yaml: every remote needs a name and a url");
                }

                remotes.Add(new RemoteSpec(nameText, urlText));
            }
        }

        if (root.Children.TryGetValue(new YamlScalarNode("default_remote"), out var chosen) && chosen is YamlScalarNode { Value: { Length: > 0 } chosenName })
        {
            defaultName = chosenName;
        }

        return new RemoteConfig(remotes, defaultName);
    }

    /// <summary>The remote to use: the one named, else the default.</summary>
    public RemoteSpec Resolve(string? name)
    {
        if (name is not null)
        {
            return Remotes.FirstOrDefault(r => r.Name == name)
                ?? throw ReproException.Usage($"no remote named '{name}' (known: {(Remotes.Count == 0 ? "none" : string.Join(", ", Remotes.Select(r => r.Name)))}); add it with `repro remote add {name} URL`");
        }

        return Default ?? throw ReproException.Usage("no remote configured: add one with `repro remote add NAME URL` (s3://bucket/prefix, file:///folder or a folder path)");
    }

    public RemoteConfig Add(RemoteSpec spec, bool makeDefault)
    {
        if (!ValidName().IsMatch(spec.Name))
        {
            throw ReproException.Usage($"'{spec.Name}' is not a remote name (letters, digits, '.', '_' and '-')");
        }

        if (Remotes.Any(r => r.Name == spec.Name))
        {
            throw ReproException.Conflict($"a remote named '{spec.Name}' exists already (remove it first with `repro remote remove {spec.Name}`)");
        }

        RemoteUrl.Validate(spec.Url);
        return new RemoteConfig([.. Remotes, spec], makeDefault ? spec.Name : DefaultName);
    }

    public RemoteConfig Remove(string name)
    {
        if (Remotes.All(r => r.Name != name))
        {
            throw ReproException.Usage($"no remote named '{name}'");
        }

        return new RemoteConfig(Remotes.Where(r => r.Name != name).ToList(), DefaultName == name ? null : DefaultName);
    }

    /// <summary>Rewrites the two sections, keeping every other line of the file.</summary>
    public async Task WriteAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var text = File.Exists(workspace.ConfigPath) ? await File.ReadAllTextAsync(workspace.ConfigPath, cancellationToken) : "version: 1\n";
        var kept = new StringBuilder();
        var skipping = false;
        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var topLevel = line.Length > 0 && !char.IsWhiteSpace(line[0]) && !line.StartsWith('#') && !line.StartsWith('-');
            if (topLevel)
            {
                skipping = line.StartsWith("remotes:", StringComparison.Ordinal) || line.StartsWith("default_remote:", StringComparison.Ordinal);
            }

            if (!skipping)
            {
                kept.Append(line).Append('\n');
            }
        }

        var result = kept.ToString().TrimEnd('\n') + "\n";
        if (Remotes.Count > 0)
        {
            result += "remotes:\n";
            foreach (var remote in Remotes)
            {
                result += $"  - name: {Quote(remote.Name)}\n    url: {Quote(remote.Url)}\n";
            }
        }

        if (DefaultName is not null)
        {
            result += $"default_remote: {Quote(DefaultName)}\n";
        }

        await AtomicFile.WriteAllTextAsync(workspace.ConfigPath, result, cancellationToken);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ValidName();
}
