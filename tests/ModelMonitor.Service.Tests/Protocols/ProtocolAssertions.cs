using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ModelMonitor.Service.Tests.Protocols;

/// <summary>What every protocol must share with the native /predict: each text audited, monitored and scored alike.</summary>
internal static class ProtocolAssertions
{
    /// <summary>The native answer's scores for the texts, by label: what any other protocol must agree with.</summary>
    public static async Task<Dictionary<string, double>[]> NativeScoresAsync(HttpClient client, params string[] texts)
    {
        var response = await client.PostAsJsonAsync("/predict", new { texts });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("predictions").EnumerateArray()
            .Select(p => p.GetProperty("scores").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetDouble()))
            .ToArray();
    }

    /// <summary>The audit ids a protocol response carries in X-Prediction-Ids.</summary>
    public static string[] PredictionIds(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Prediction-Ids", out var values) ? values.Single().Split(',') : [];

    /// <summary>Each id is an audited prediction of its text, and the drift monitor's window holds it (feedback joins it).</summary>
    public static async Task AssertAuditedAndMonitoredAsync(HttpClient client, string[] ids, string[] texts)
    {
        Assert.Equal(texts.Length, ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            var record = await client.GetAsync($"/audit/{ids[i]}");
            Assert.Equal(HttpStatusCode.OK, record.StatusCode);
            Assert.Contains(JsonSerializer.Serialize(texts[i]).Trim('"'), await record.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var feedback = await client.PostAsJsonAsync("/feedback", new { feedback = ids.Select(id => new { prediction_id = id, label = "POSITIVE" }) });
        Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        using var body = JsonDocument.Parse(await feedback.Content.ReadAsStringAsync());
        Assert.Equal(ids.Length, body.RootElement.GetProperty("joined").GetInt32());
    }
}
