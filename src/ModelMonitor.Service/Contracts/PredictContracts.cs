namespace ModelMonitor.Service.Contracts;

/// <summary>The body of a /predict response; <c>drift_detected</c> and <c>severity</c> are the drift monitor's latest evaluation.</summary>
public sealed record PredictResponse(
    string RequestId,
    DateTime CreatedAt,
    ModelIdentity Model,
    IReadOnlyList<PredictionResult> Predictions,
    bool DriftDetected,
    string Severity);

/// <summary>Which model answered: name and version from config.json, sha256 of the ONNX file.</summary>
public sealed record ModelIdentity(string Name, string Version, string Sha256);

/// <summary>One text's prediction: its audit record id, the label, its probability, every label's probability, and token facts.</summary>
public sealed record PredictionResult(
    string? Id,
    string Label,
    double Score,
    IReadOnlyDictionary<string, double> Scores,
    int TokenCount,
    bool Truncated);
