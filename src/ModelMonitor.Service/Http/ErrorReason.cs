namespace ModelMonitor.Service.Http;

/// <summary>
/// Why a request failed, as a short snake_case reason for the errors metric: the ProblemDetails
/// title when the service wrote one (a fixed set), otherwise the status code's name.
/// </summary>
internal static class ErrorReason
{
    private const string Key = "ModelMonitor.ErrorReason";

    public static void Set(HttpContext context, string title) => context.Items[Key] = Slug(title);

    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(Key, out var reason) && reason is string text ? text : context.Response.StatusCode switch
        {
            StatusCodes.Status400BadRequest => "invalid_request",
            StatusCodes.Status404NotFound => "not_found",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status413PayloadTooLarge => "request_too_large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            >= 500 => "internal_error",
            _ => "other",
        };

    private static string Slug(string title) => string.Join('_', title.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
