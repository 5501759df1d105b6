namespace ModelMonitor.Inference.Classification;

/// <summary>A model folder that is missing, incomplete or unusable; the message lists every problem found.</summary>
public sealed class ModelFolderException : Exception
{
    public ModelFolderException()
    {
    }

    public ModelFolderException(string message)
        : base(message)
    {
    }

    public ModelFolderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
