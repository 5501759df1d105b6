namespace ModelMonitor.Inference.Tokenization;

/// <summary>A tokenizer file that is missing, malformed or uses a component we do not implement.</summary>
public sealed class TokenizerFormatException : Exception
{
    public TokenizerFormatException()
    {
    }

    public TokenizerFormatException(string message)
        : base(message)
    {
    }

    public TokenizerFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
