using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace ModelMonitor.Service.Http;

/// <summary>
/// Reads a JSON request body under a byte limit. Every client mistake becomes a
/// <see cref="Rejection"/> with the right status: 415 for a non-JSON content type, 413 for a body
/// over the limit, 400 for an empty body or invalid JSON. The returned document owns its bytes:
/// nothing it reads can change after this method returns.
/// </summary>
internal static class JsonBodyReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static async Task<(JsonDocument? Document, Rejection? Rejection)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            var supplied = string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType;
            return (null, Rejection.UnsupportedMediaType($"Content-Type must be application/json; got {supplied}."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(request.ContentLength.Value, maxBytes));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                }
                catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return (null, TooLarge(null, maxBytes));
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return (null, TooLarge(null, maxBytes));
                }
            }

            if (length == 0)
            {
                return (null, Rejection.BadRequest("The request body is empty; expected a JSON object."));
            }

            try
            {
                // JsonDocument.Parse(ReadOnlyMemory) keeps reading the memory it was given for the
                // document's whole life. The read buffer goes back to the pool below, where another
                // request can rent and overwrite it, so the document must own its bytes (issue #21).
                var owned = buffer.AsSpan(0, length).ToArray();
                return (JsonDocument.Parse(owned, DocumentOptions), null);
            }
            catch (JsonException e)
            {
                return (null, Rejection.BadRequest($"The request body is not valid JSON: {e.Message}"));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Rejection TooLarge(long? length, long maxBytes) => Rejection.TooLarge(
        length is { } known
            ? $"The request body is {known} bytes; at most {maxBytes} are accepted (Predict:MaxBodyBytes)."
            : $"The request body exceeds {maxBytes} bytes (Predict:MaxBodyBytes).");
}
