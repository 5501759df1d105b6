namespace ModelMonitor.Service.Contracts;

/// <summary>The body of a /tokenize response: ids and the tokens they stand for, special tokens included.</summary>
public sealed record TokenizeResponse(IReadOnlyList<int> Ids, IReadOnlyList<string> Tokens, int TokenCount, bool Truncated);
