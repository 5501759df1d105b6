using System.Text.Json.Serialization;

namespace ModelMonitor.Service.Contracts;

/// <summary>Source-generated JSON for every response type; snake_case, as the API documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(PredictResponse))]
[JsonSerializable(typeof(TokenizeResponse))]
[JsonSerializable(typeof(ServiceInfo))]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(AuditListResponse))]
[JsonSerializable(typeof(AuditVerifyResponse))]
[JsonSerializable(typeof(DriftResponse))]
[JsonSerializable(typeof(EvaluationView))]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(FeedbackResponse))]
[JsonSerializable(typeof(LabelScore[]))]
[JsonSerializable(typeof(LabelScore[][]))]
[JsonSerializable(typeof(HuggingFaceError))]
[JsonSerializable(typeof(OpenInferenceError))]
[JsonSerializable(typeof(OpenInferenceLive))]
[JsonSerializable(typeof(OpenInferenceReady))]
[JsonSerializable(typeof(OpenInferenceModelReady))]
[JsonSerializable(typeof(OpenInferenceModelMetadata))]
[JsonSerializable(typeof(OpenInferenceResponse))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
[JsonSerializable(typeof(Dictionary<string, double>))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
