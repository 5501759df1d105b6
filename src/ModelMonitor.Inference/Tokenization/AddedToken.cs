namespace ModelMonitor.Inference.Tokenization;

/// <summary>
/// A token from tokenizer.json's <c>added_tokens</c> (such as <c>[MASK]</c>), matched in the text
/// before the model runs: in the raw text, or in the normalised text when <see cref="Normalized"/>.
/// Their <c>lstrip</c>/<c>rstrip</c> flags are not read: they trim whitespace next to the token, and
/// BERT's pre-tokenizer drops whitespace anyway without it changing the normalisation of its
/// neighbours, so they cannot change the ids.
/// </summary>
public sealed record AddedToken(int Id, string Content, bool Special = true, bool Normalized = false);
