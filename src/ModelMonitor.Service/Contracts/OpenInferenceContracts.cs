using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelMonitor.Service.Contracts;

/// <summary>The Open Inference Protocol's (KServe v2) error body: <c>{"error": "..."}</c>.</summary>
public sealed record OpenInferenceError(string Error);

/// <summary>GET /v2/health/live.</summary>
public sealed record OpenInferenceLive(bool Live);

/// <summary>The server metadata answer (<c>GET /v2</c>): the server's name, version and the protocol extensions it supports (none).</summary>
public sealed record OpenInferenceServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>GET /v2/health/ready.</summary>
public sealed record OpenInferenceReady(bool Ready);

/// <summary>GET /v2/models/{name}/ready.</summary>
public sealed record OpenInferenceModelReady(string Name, bool Ready);

/// <summary>A tensor's name, datatype and shape (-1 for a dimension of any size).</summary>
public sealed record OpenInferenceTensor(string Name, string Datatype, IReadOnlyList<long> Shape);

/// <summary>GET /v2/models/{name}: the model's name, versions, platform and its input and output tensors.</summary>
public sealed record OpenInferenceModelMetadata(
    string Name,
    IReadOnlyList<string> Versions,
    string Platform,
    IReadOnlyList<OpenInferenceTensor> Inputs,
    IReadOnlyList<OpenInferenceTensor> Outputs);

/// <summary>One output tensor of an inference response; <c>data</c> is flat, in row-major order.</summary>
public sealed record OpenInferenceOutput(string Name, string Datatype, IReadOnlyList<long> Shape, JsonElement Data);

/// <summary>POST /v2/models/{name}/infer's answer; <c>id</c> echoes the request's.</summary>
public sealed record OpenInferenceResponse(
    string ModelName,
    string ModelVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    IReadOnlyList<OpenInferenceOutput> Outputs);

/// <summary>A parsed inference request: its id, the texts of its BYTES input, and which outputs it asked for (null: all).</summary>
internal sealed record OpenInferenceRequest(string? Id, string[] Texts, IReadOnlyList<string>? Outputs);
