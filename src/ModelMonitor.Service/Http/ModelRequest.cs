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

        var (value, rejection) = await ReadBodyAsync(context, limits, parse, cancellationToken);
        return rejection is null ? (value, null) : (default, Problems.From(context, rejection, logger));
    }

    /// <summary>The same start for endpoints that write their own error bodies: a not-ready model is a 503 rejection (with Retry-After).</summary>
    public static async Task<(T? Value, Rejection? Rejection)> ReadValueAsync<T>(
        HttpContext context,
        ModelHost host,
        PredictOptions limits,
        Func<JsonDocument, PredictOptions, (T? Value, Rejection? Rejection)> parse,
        CancellationToken cancellationToken)
    {
        if (!host.IsReady)
        {
            context.Response.Headers.RetryAfter = "1";
            return (default, new Rejection(StatusCodes.Status503ServiceUnavailable, "Not ready", "The model is still loading; retry shortly."));
        }

        return await ReadBodyAsync(context, limits, parse, cancellationToken);
    }

    private static async Task<(T? Value, Rejection? Rejection)> ReadBodyAsync<T>(
        HttpContext context,
        PredictOptions limits,
        Func<JsonDocument, PredictOptions, (T? Value, Rejection? Rejection)> parse,
        CancellationToken cancellationToken)
    {
        var (document, rejection) = await JsonBodyReader.ReadAsync(context.Request, limits.MaxBodyBytes, cancellationToken);
        if (rejection is not null)
        {
            return (default, rejection);
        }

        using (document)
        {
            return parse(document!, limits);
        }
    }
}
