using Repro.Execution;
using Repro.Tests.Shared;

namespace Repro.Tests.Execution;

/// <summary>The executor contract in a container: podman and the tests' image (scripts/setup installs podman and runc).</summary>
public sealed class ContainerExecutorContractTests : ExecutorContract
{
    protected override string ExpectedName => "container";

    protected override IExecutor Create() => new ContainerExecutor(new ContainerSettings { Image = TestImage.TagAsync().GetAwaiter().GetResult() });
}
