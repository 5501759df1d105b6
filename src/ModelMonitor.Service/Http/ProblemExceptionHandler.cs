using Microsoft.AspNetCore.Diagnostics;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Logging;

namespace ModelMonitor.Service.Http;

/// <summary>
/// Last line of defence: a malformed request that Kestrel itself rejects keeps its 4xx status;
/// anything else is our fault, is logged with its exception, and becomes a 500 ProblemDetails.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string title;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            title = "Invalid request";
            detail = bad.Message;
        }
        else if ((exception is System.Net.Sockets.SocketException or TimeoutException || StoreFailures.IsDatabase(exception)) && !httpContext.RequestAborted.IsCancellationRequested)
        {
            // The audit database does not answer: the service is unavailable, not broken, and a retry can succeed.
            Log.UnhandledError(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/", httpContext.TraceIdentifier);
            status = StatusCodes.Status503ServiceUnavailable;
            title = "Audit store unavailable";
            detail = "The audit database does not answer; retry later. The error is in the service log under this request id.";
        }
        else if (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away, or the stopping server aborted the connection (its grace period
            // ran out; writing then fails too): there is nobody to answer.
            return true;
        }
        else
        {
            Log.UnhandledError(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/", httpContext.TraceIdentifier);
            status = StatusCodes.Status500InternalServerError;
            title = "Internal error";
            detail = "The server failed to handle the request; the error is in the service log under this request id.";
        }

        httpContext.Response.StatusCode = status;
        ErrorReason.Set(httpContext, title);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
