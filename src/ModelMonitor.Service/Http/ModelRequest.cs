using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Http;

/// <summary>The start every model endpoint shares: 503 until the model is ready, then the JSON body under the limits, parsed.</summary>
internal static class ModelRequest
{
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(
        HttpContext context,
        ModelHost host,
        PredictOptions limits,
        Func<JsonDocument, PredictOptions, (T? Value, Rejection? Rejection)> parse,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        if (!host.IsReady)
        {
            return (default, Problems.NotReady(context));
        }

        var (document, rejection) = await JsonBodyReader.ReadAsync(context.Request, limits.MaxBodyBytes, cancellationToken);
        if (rejection is not null)
        {
            return (default, Problems.From(context, rejection, logger));
        }

        T? value;
        using (document)
        {
            (value, rejection) = parse(document!, limits);
        }

        return rejection is null ? (value, null) : (default, Problems.From(context, rejection, logger));
    }
}
