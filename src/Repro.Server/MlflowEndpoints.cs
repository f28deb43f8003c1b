using Microsoft.AspNetCore.Routing;

namespace Repro.Server;

/// <summary>The MLflow-compatible REST API under <c>/api/2.0/mlflow/</c>.</summary>
public static class MlflowEndpoints
{
    public static void Map(RouteGroupBuilder api, ServerContext context)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(context);
    }
}
