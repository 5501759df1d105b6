namespace ModelMonitor.Inference.Classification;

/// <summary>What identifies a loaded model: name and version from config.json, and the ONNX file's sha256.</summary>
public sealed record ModelDescriptor(string Name, string Version, string Sha256, string Directory, string ModelFile, IReadOnlyList<string> Labels);
