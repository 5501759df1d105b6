namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// The audit ids of a response whose body has no room for them (Hugging Face, Open Inference):
/// <c>X-Prediction-Ids</c>, comma-separated, in input order. Absent when auditing is off.
/// </summary>
internal static class PredictionIdsHeader
{
    public const string Name = "X-Prediction-Ids";

    public static void Set(HttpContext context, IReadOnlyList<string>? ids)
    {
        if (ids is { Count: > 0 })
        {
            context.Response.Headers[Name] = string.Join(',', ids);
        }
    }
}
