using System.Reflection;
using Microsoft.Extensions.Options;
using ModelMonitor.Inference.Onnx;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Endpoints;

/// <summary>GET / : service, model and runtime information.</summary>
internal static class InfoEndpoints
{
    private static readonly string ServiceVersion =
        typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", GetInfo).WithTags("Service").WithName("Info").Produces<ServiceInfo>();
        return app;
    }

    /// <summary>Group routes carry a trailing slash in their raw text ("/predict/"); show them as clients call them.</summary>
    private static string DisplayRoute(string? raw) => raw is { Length: > 1 } ? raw.TrimEnd('/') : raw ?? "/";

    internal static ServiceInfo GetInfo(ModelHost host, IOptions<PredictOptions> limits, EndpointDataSource endpoints)
    {
        ModelInfo? model = null;
        if (host.IsReady)
        {
            var classifier = host.Classifier;
            var descriptor = classifier.Model;
            model = new ModelInfo(
                descriptor.Name,
                descriptor.Version,
                descriptor.Sha256,
                descriptor.Directory,
                descriptor.ModelFile,
                descriptor.Labels,
                classifier.MaxSequenceLength,
                classifier.Session.Inputs.Select(i => i.ToString()).ToArray(),
                classifier.Session.Outputs.Select(o => o.ToString()).ToArray());
        }

        var routes = endpoints.Endpoints.OfType<RouteEndpoint>()
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])} {DisplayRoute(e.RoutePattern.RawText)}".Trim())
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToArray();
        var value = limits.Value;
        return new ServiceInfo(
            "ModelMonitor",
            ServiceVersion,
            model,
            new RuntimeInfo(OnnxRuntimeEnvironment.RuntimeVersion, Environment.Version.ToString()),
            new LimitsInfo(value.MaxTexts, value.MaxTextChars, value.MaxBodyBytes),
            routes);
    }
}
