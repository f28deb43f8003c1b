using Repro.Model.Findings;

namespace Repro.Checks.Lint;

/// <summary>A group of rules that reads a <see cref="LintContext"/> and adds findings to it.</summary>
public interface ILintCheck
{
    IReadOnlyList<RuleDescriptor> Rules { get; }

    void Check(LintContext context);
}
