using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.ScaleOut;

/// <summary>The service on the PostgreSQL audit store (Audit:Store=Postgres), against a throwaway cluster.</summary>
public sealed class PostgresStoreServiceTests
{
    internal static Dictionary<string, string?> PostgresSettings(string connectionString, string writerId) => new()
    {
        ["Audit:Store"] = "Postgres",
        ["ConnectionStrings:Audit"] = connectionString,
        ["Audit:WriterId"] = writerId,
        ["Audit:ProbeIntervalMs"] = "0",
    };

    [Fact]
    public async Task A_prediction_is_answered_after_its_record_is_in_the_database_and_the_audit_reads_it_back()
    {
        using var cluster = new PostgresCluster();
        var database = cluster.CreateDatabase();
        using var factory = new ConfiguredServiceFactory(PostgresSettings(database, "replica-a"));
        var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/predict", new { texts = new[] { "a fine film", "a dull film" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var ids = answer.RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(2, ids.Length);
        foreach (var id in ids)
        {
            Assert.Equal(1L, PostgresCluster.Scalar<long>(database, $"SELECT count(*) FROM audit_records WHERE id = '{id}' AND kind = 'prediction' AND writer = 'replica-a'"));
            using var record = JsonDocument.Parse(await client.GetStringAsync($"/audit/{id}"));
            Assert.Equal(id, record.RootElement.GetProperty("id").GetString());
        }

        using var list = JsonDocument.Parse(await client.GetStringAsync("/audit?kind=prediction&order=asc"));
        Assert.Equal(ids, list.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        using var verify = JsonDocument.Parse(await client.GetStringAsync("/audit/verify"));
        Assert.True(verify.RootElement.GetProperty("ok").GetBoolean());
        Assert.False(Directory.Exists(factory.AuditDirectory), "the file store was written too");
    }

    [Fact]
    public async Task While_the_database_is_down_predictions_get_503_and_readiness_says_why_then_both_recover_without_a_restart()
    {
        using var cluster = new PostgresCluster();
        var database = cluster.CreateDatabase();
        using var factory = new ConfiguredServiceFactory(PostgresSettings(database, "replica-a"));
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/predict", new { texts = new[] { "before the outage" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        cluster.Stop();
        var during = await client.PostAsJsonAsync("/predict", new { texts = new[] { "during the outage" } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using (var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.Equal("audit_unavailable", body.RootElement.GetProperty("status").GetString());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/audit")).StatusCode);

        cluster.Start();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var after = await client.PostAsJsonAsync("/predict", new { texts = new[] { "after the outage" } });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        // Nothing was served unaudited: the two answered predictions are the only ones stored.
        var texts = PostgresCluster.Scalar<string>(database, "SELECT string_agg(line::jsonb -> 'input' ->> 'text', '|' ORDER BY pos) FROM audit_records WHERE kind = 'prediction'");
        Assert.Equal("before the outage|after the outage", texts);
        using var verify = JsonDocument.Parse(await client.GetStringAsync("/audit/verify"));
        Assert.True(verify.RootElement.GetProperty("ok").GetBoolean());
    }
}
