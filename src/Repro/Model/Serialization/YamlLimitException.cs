using YamlDotNet.Core;

namespace Repro.Model.Serialization;

/// <summary>A YAML file over one of <see cref="YamlLimits"/>: every reader already turns a <see cref="YamlException"/> into its own clear error.</summary>
public sealed class YamlLimitException : YamlException
{
    public YamlLimitException(Mark start, Mark end, string message)
        : base(start, end, message)
    {
    }

    public YamlLimitException(string message)
        : base(message)
    {
    }

    public YamlLimitException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
