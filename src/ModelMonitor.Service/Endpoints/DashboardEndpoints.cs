using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ModelMonitor.Dashboard;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Endpoints;

/// <summary>
/// GET /dashboard: one HTML page with its style, Chartist and its script inline. It holds no data
/// and no key: its script reads the service's API, asking for an API key only when reading the
/// audit answers 401. Its Content-Security-Policy lets it run only its own inline scripts and
/// talk only to this service, so nothing can be loaded from another host.
/// </summary>
internal static partial class DashboardEndpoints
{
    public const string Route = "/dashboard";

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<DashboardOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var page = DashboardHtml.Live(new DashboardPageSettings(options.RefreshSeconds, options.RangeHours, options.MaxPoints, options.TrafficBuckets));
        var policy = ContentSecurityPolicy(page);
        app.MapGet(Route, (HttpContext context) =>
            {
                context.Response.Headers.ContentSecurityPolicy = policy;
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Content(page, "text/html; charset=utf-8");
            })
            .WithTags("Service")
            .WithName("Dashboard")
            .WithSummary("The monitoring dashboard (HTML).")
            .Produces<string>(StatusCodes.Status200OK, "text/html");
        return app;
    }

    /// <summary>
    /// Scripts: only the page's own inline ones, by hash. Styles inline (Chartist sizes its SVG
    /// with style attributes). Requests: this service only. No frames, forms or plugins.
    /// </summary>
    internal static string ContentSecurityPolicy(string page)
    {
        var hashes = InlineScript().Matches(page)
            .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'");
        return $"default-src 'none'; script-src {string.Join(' ', hashes)}; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /// <summary>Executable inline scripts: those without a type (the JSON blocks carry one and never run).</summary>
    [GeneratedRegex(@"<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
