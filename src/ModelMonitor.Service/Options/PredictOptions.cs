namespace ModelMonitor.Service.Options;

/// <summary>Request limits for /predict and /tokenize (section <c>Predict</c>).</summary>
public sealed class PredictOptions
{
    public const string Section = "Predict";

    /// <summary>Most texts in one /predict request.</summary>
    public int MaxTexts { get; set; } = 64;

    /// <summary>Most characters (UTF-16 code units) in one text.</summary>
    public int MaxTextChars { get; set; } = 20_000;

    /// <summary>Largest request body accepted, in bytes.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}
