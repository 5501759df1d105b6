using ModelMonitor.Service.Contracts;

namespace ModelMonitor.Service.Http;

/// <summary>
/// Refusals in the bodies other protocols' clients expect, with the same status codes, logging and
/// auditing as a ProblemDetails refusal: Hugging Face's <c>{"error", "error_type"}</c> and the
/// Open Inference Protocol's <c>{"error"}</c>.
/// </summary>
internal static class ProtocolErrors
{
    public static IResult HuggingFace(HttpContext context, Rejection rejection, ILogger logger)
    {
        Problems.Note(context, rejection, logger);
        return TypedResults.Json(new HuggingFaceError(rejection.Detail, HuggingFaceType(rejection)), statusCode: rejection.Status);
    }

    public static IResult OpenInference(HttpContext context, Rejection rejection, ILogger logger)
    {
        Problems.Note(context, rejection, logger);
        return TypedResults.Json(new OpenInferenceError(rejection.Detail), statusCode: rejection.Status);
    }

    /// <summary>Text-generation-inference's and TEI's error kinds: the client's mistake, too much load, or the server's side.</summary>
    internal static string HuggingFaceType(Rejection rejection) => rejection switch
    {
        { Status: StatusCodes.Status429TooManyRequests } or { Title: "Deadline exceeded" } => "overloaded",
        { Title: "Not ready" } => "unhealthy",
        { Status: >= 500 } => "backend",
        _ => "validation",
    };
}
