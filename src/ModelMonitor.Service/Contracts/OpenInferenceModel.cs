using ModelMonitor.Inference.Classification;

namespace ModelMonitor.Service.Contracts;

/// <summary>
/// How the text classifier looks to the Open Inference Protocol: one BYTES input of texts, an FP32
/// probabilities output with one column per label (in the model's label order), and a BYTES label output.
/// </summary>
internal static class OpenInferenceModel
{
    public const string TextInput = "text";
    public const string ProbabilitiesOutput = "probabilities";
    public const string LabelOutput = "label";
    public const string Platform = "onnxruntime_onnx";

    public static OpenInferenceModelMetadata Metadata(ModelDescriptor model) => new(
        model.Name,
        [model.Version],
        Platform,
        [new OpenInferenceTensor(TextInput, "BYTES", [-1])],
        [
            new OpenInferenceTensor(ProbabilitiesOutput, "FP32", [-1, model.Labels.Count]),
            new OpenInferenceTensor(LabelOutput, "BYTES", [-1]),
        ]);
}
