namespace ModelMonitor.Service.Http;

/// <summary>Why a request was refused: an HTTP status and a message that names the problem.</summary>
internal sealed record Rejection(int Status, string Title, string Detail)
{
    public static Rejection BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Invalid request", detail);

    public static Rejection TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Request too large", detail);

    public static Rejection UnsupportedMediaType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);
}
