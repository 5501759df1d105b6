namespace ModelMonitor.Monitoring.Reference;

/// <summary>One reference text and, when the file has one, its true label as written there.</summary>
public sealed record ReferenceText(string Text, string? Label);
