namespace ModelMonitor.Inference.Native;

/// <summary>An error reported by ONNX Runtime (an <c>OrtStatus</c>), carrying ORT's own message.</summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string message)
        : base($"ONNX Runtime error {code}: {message}")
    {
        Code = code;
        OrtMessage = message;
    }

    public OrtException()
        : this(OrtErrorCode.Fail, "unknown error")
    {
    }

    public OrtException(string message)
        : this(OrtErrorCode.Fail, message)
    {
    }

    public OrtException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = OrtErrorCode.Fail;
        OrtMessage = message;
    }

    public OrtErrorCode Code { get; }

    /// <summary>The message exactly as ORT reported it.</summary>
    public string OrtMessage { get; }
}
