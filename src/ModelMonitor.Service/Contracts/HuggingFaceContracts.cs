namespace ModelMonitor.Service.Contracts;

/// <summary>One label's score in Hugging Face's text-classification answers.</summary>
public sealed record LabelScore(string Label, double Score);

/// <summary>Hugging Face's error body: <c>{"error": "...", "error_type": "validation"}</c>.</summary>
public sealed record HuggingFaceError(string Error, string ErrorType);

/// <summary>How scores are computed from the logits (Inference Endpoints' <c>function_to_apply</c>).</summary>
internal enum ScoreFunction
{
    Softmax,
    Sigmoid,
    None,
}

/// <summary>A parsed Hugging Face text-classification request, either shape.</summary>
/// <param name="Texts">The inputs, in order.</param>
/// <param name="IsList">Whether <c>inputs</c> was a list (the answer's shape follows it).</param>
/// <param name="Function">How to turn logits into scores.</param>
/// <param name="TopK">How many labels to return per text; null for all.</param>
/// <param name="Truncate">Whether an over-long text is cut (true) or refused with a 413 (false).</param>
internal sealed record HuggingFaceRequest(string[] Texts, bool IsList, ScoreFunction Function, int? TopK, bool Truncate);

/// <summary>A parsed /predict body: this service's texts, or a text-embeddings-inference request (or why that request is refused).</summary>
internal sealed record PredictBody(string[]? Texts, HuggingFaceRequest? Tei, ModelMonitor.Service.Http.Rejection? TeiRejection);
