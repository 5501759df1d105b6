using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Audit;

namespace ModelMonitor.Service.Tests.Endpoints;

/// <summary>
/// Under concurrent load every prediction, in the response and in the audit, belongs to the text
/// that was sent at that index of that request (issue #21).
/// </summary>
public sealed class PredictionOwnershipTests
{
    private const int Requests = 480;
    private const int Clients = 24;

    [Fact]
    public async Task Every_prediction_and_audit_record_holds_the_text_sent_at_its_index_under_concurrent_load()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();

        // Request r sends one text, or three; each text is unique and its token count is known by
        // construction, so a response that was computed on another text shows in token_count too.
        var requests = Enumerable.Range(0, Requests)
            .Select(r => Enumerable.Range(0, r % 3 == 0 ? 3 : 1).Select(i => UniqueText(r * 3 + i)).ToArray())
            .ToArray();
        var next = -1;
        var answers = new (string[] Texts, JsonElement Body)[Requests];
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            int r;
            while ((r = Interlocked.Increment(ref next)) < Requests)
            {
                var response = await client.PostAsJsonAsync("/predict", new { texts = requests[r].Select(t => t.Text) });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                answers[r] = (requests[r].Select(t => t.Text).ToArray(), JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
            }
        }));

        var checkedPredictions = 0;
        for (var r = 0; r < Requests; r++)
        {
            var predictions = answers[r].Body.GetProperty("predictions").EnumerateArray().ToArray();
            Assert.Equal(requests[r].Length, predictions.Length);
            for (var i = 0; i < predictions.Length; i++)
            {
                var (text, tokens) = requests[r][i];
                Assert.Equal(tokens, predictions[i].GetProperty("token_count").GetInt32());

                var id = predictions[i].GetProperty("id").GetString()!;
                var record = AuditReader.Find(factory.AuditDirectory, id);
                Assert.NotNull(record);
                using var audited = JsonDocument.Parse(record.Json);
                var root = audited.RootElement;
                Assert.Equal(text, root.GetProperty("input").GetProperty("text").GetString());
                Assert.Equal(i, root.GetProperty("index").GetInt32());
                Assert.Equal(tokens, root.GetProperty("tokens").GetInt32());
                Assert.Equal(answers[r].Body.GetProperty("request_id").GetString(), root.GetProperty("request_id").GetString());
                checkedPredictions++;
            }
        }

        Assert.Equal(Requests / 3 * 3 + Requests * 2 / 3, checkedPredictions);
    }

    /// <summary>
    /// "review" + the number spelt with one single-letter word per digit + "was" + 1 to 9 "fine".
    /// Every word is one WordPiece token, so the count is 2 special tokens + 1 + 5 + 1 + the fines.
    /// </summary>
    private static (string Text, int Tokens) UniqueText(int n)
    {
        var digits = n.ToString("D5", System.Globalization.CultureInfo.InvariantCulture).Select(d => (char)('a' + (d - '0')));
        var fines = n % 9 + 1;
        var text = $"review {string.Join(' ', digits)} was {string.Join(' ', Enumerable.Repeat("fine", fines))}";
        return (text, 2 + 1 + 5 + 1 + fines);
    }
}
