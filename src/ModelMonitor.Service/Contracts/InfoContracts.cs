namespace ModelMonitor.Service.Contracts;

/// <summary>GET / : what this service is and what it serves.</summary>
public sealed record ServiceInfo(
    string Service,
    string Version,
    ModelInfo? Model,
    RuntimeInfo Runtime,
    LimitsInfo Limits,
    IReadOnlyList<string> Endpoints);

public sealed record ModelInfo(
    string Name,
    string Version,
    string Sha256,
    string Path,
    string ModelFile,
    IReadOnlyList<string> Labels,
    int MaxSequenceLength,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs);

public sealed record RuntimeInfo(string Onnxruntime, string Dotnet);

public sealed record LimitsInfo(int MaxTexts, int MaxTextChars, long MaxBodyBytes);

/// <summary>The body of the health endpoints.</summary>
/// <summary>A health answer; <c>Reason</c> says why the service is not ready, when it is not.</summary>
public sealed record HealthStatus(string Status, string? Reason = null);
