namespace ModelMonitor.Inference.Native;

/// <summary>ORT's <c>OrtErrorCode</c>.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail = 1,
    InvalidArgument = 2,
    NoSuchFile = 3,
    NoModel = 4,
    EngineError = 5,
    RuntimeException = 6,
    InvalidProtobuf = 7,
    ModelLoaded = 8,
    NotImplemented = 9,
    InvalidGraph = 10,
    EpFail = 11,
}

/// <summary>ORT's <c>OrtLoggingLevel</c>.</summary>
public enum OrtLogSeverity
{
    Verbose = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}

/// <summary>ORT's <c>GraphOptimizationLevel</c>.</summary>
public enum GraphOptimizationLevel
{
    DisableAll = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}

/// <summary>ORT's <c>ExecutionMode</c>.</summary>
public enum ExecutionMode
{
    Sequential = 0,
    Parallel = 1,
}

/// <summary>ORT's <c>ONNXType</c>: the kind of value an input or output holds.</summary>
public enum OnnxValueKind
{
    Unknown = 0,
    Tensor = 1,
    Sequence = 2,
    Map = 3,
    Opaque = 4,
    SparseTensor = 5,
    Optional = 6,
}

/// <summary>ORT's <c>ONNXTensorElementDataType</c>.</summary>
public enum TensorElementType
{
    Undefined = 0,
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    Complex64 = 14,
    Complex128 = 15,
    BFloat16 = 16,
}
