using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Auditing;

/// <summary>The service with its audit store on a 2 MiB tmpfs that fills up, fail-closed (the default): #15 item 1.</summary>
public sealed class DiskFullServiceTests
{
    [Fact]
    public async Task While_the_store_cannot_write_predictions_get_503_and_readiness_says_why_then_both_recover_without_a_restart()
    {
        using var volume = new TmpfsVolume("2m");
        var directory = Path.Combine(volume.Path, "audit");
        using var factory = new ConfiguredServiceFactory(new() { ["Audit:Directory"] = directory });
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/predict", new { texts = new[] { "a fine film" } })).StatusCode);

        var filler = volume.Fill("filler", 4L * 1024 * 1024);
        var text = string.Join(' ', Enumerable.Repeat("wonderful", 800));
        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            response = await client.PostAsJsonAsync("/predict", new { texts = new[] { text + attempts } });
            attempts++;
        }
        while (response.StatusCode == HttpStatusCode.OK && attempts < 500);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using (var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()))
        {
            Assert.Equal("audit_unavailable", body.RootElement.GetProperty("status").GetString());
            Assert.Contains("audit store cannot write", body.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        File.Delete(filler);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var recovered = await client.PostAsJsonAsync("/predict", new { texts = new[] { "space is back" } });
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);

        await factory.DisposeAsync();
        var result = AuditVerifier.Verify(directory);
        Assert.True(result.Ok, result.FirstBreak?.Reason);
        Assert.Single(AuditSegments.List(directory));
    }
}
