using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using ModelMonitor.Service.Http;

namespace ModelMonitor.Service.Tests.Http;

/// <summary>
/// The parsed body belongs to its request alone: once the reader has returned, nothing another
/// request does with pooled memory can change what the document reads (issue #21).
/// </summary>
public sealed class JsonBodyReaderTests
{
    [Fact]
    public async Task Document_keeps_its_text_when_the_pooled_read_buffer_is_rented_again_and_overwritten()
    {
        var context = JsonRequest("{\"texts\":[\"number 73\"]}");

        var (document, rejection) = await JsonBodyReader.ReadAsync(context.Request, 1024 * 1024, CancellationToken.None);
        Assert.Null(rejection);
        using (document)
        {
            // The reader reads into a 16 KiB array from the shared pool. On the same thread the pool
            // hands back the array it was last given, so this is the reader's buffer, if it kept none.
            var reused = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                reused.AsSpan().Clear();
                Encoding.UTF8.GetBytes("{\"texts\":[\"number 71\"]}").CopyTo(reused, 0);

                var text = document!.RootElement.GetProperty("texts")[0].GetString();
                Assert.Equal("number 73", text);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(reused);
            }
        }
    }

    [Fact]
    public async Task Document_of_a_body_larger_than_the_first_buffer_keeps_every_text()
    {
        var texts = Enumerable.Range(0, 2000).Select(i => $"review number {i} was a fine film").ToArray();
        var body = "{\"texts\":[" + string.Join(',', texts.Select(t => $"\"{t}\"")) + "]}";
        var context = JsonRequest(body);

        var (document, rejection) = await JsonBodyReader.ReadAsync(context.Request, 1024 * 1024, CancellationToken.None);
        Assert.Null(rejection);
        using (document)
        {
            // Scribble over every array the pool may hand out for the sizes the reader used.
            foreach (var size in new[] { 16 * 1024, 32 * 1024, 64 * 1024, 128 * 1024 })
            {
                var reused = ArrayPool<byte>.Shared.Rent(size);
                reused.AsSpan().Fill((byte)'x');
                ArrayPool<byte>.Shared.Return(reused);
            }

            var parsed = document!.RootElement.GetProperty("texts").EnumerateArray().Select(t => t.GetString()).ToArray();
            Assert.Equal(texts, parsed);
        }
    }

    private static DefaultHttpContext JsonRequest(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        return context;
    }
}
