namespace ModelMonitor.Inference.Tokenization;

/// <summary>A token from tokenizer.json's <c>added_tokens</c>, matched in the text before the model runs.</summary>
public sealed record AddedToken(int Id, string Content, bool Special = true, bool Normalized = false, bool LeftStrip = false, bool RightStrip = false);
