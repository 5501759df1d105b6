using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelMonitor.Audit;
using ModelMonitor.Service.Auditing;

namespace ModelMonitor.Service.Tests.Auditing;

/// <summary>What a rejected request may cost the audit (#15 item 5, amplification).</summary>
public sealed class ProblemRecordTests
{
    [Fact]
    public async Task A_long_rejected_path_is_cut_and_its_length_noted()
    {
        using var factory = new ConfiguredServiceFactory(new() { ["Audit:MaxRecordedChars"] = "256" });
        var client = factory.CreateClient();
        var path = "/" + new string('p', 8000);
        await client.GetAsync(path);
        await factory.Services.GetRequiredService<ProblemRecorder>().FlushAsync(CancellationToken.None);

        var warning = Records(factory).Single(r => r.GetProperty("kind").GetString() == "warning");
        Assert.Equal(path[..256], warning.GetProperty("path").GetString());
        Assert.Equal(8001, warning.GetProperty("path_length").GetInt32());
        Assert.True(AuditSegments.List(factory.AuditDirectory).Sum(s => new FileInfo(s).Length) < 2048);
    }

    [Fact]
    public async Task Identical_warnings_are_counted_into_one_summary_and_none_is_lost()
    {
        using var factory = new ServiceFactory();
        var client = factory.CreateClient();
        var path = "/" + new string('q', 8000);
        for (var i = 0; i < 500; i++)
        {
            await client.GetAsync(path);
        }

        await client.GetAsync("/another-path");
        var recorder = factory.Services.GetRequiredService<ProblemRecorder>();
        await recorder.FlushAsync(CancellationToken.None);

        // Stopping closes the open window, so its count reaches the store.
        await recorder.StopAsync(CancellationToken.None);
        var records = Records(factory);
        var warnings = records.Where(r => r.GetProperty("kind").GetString() == "warning").ToArray();
        Assert.Equal(2, warnings.Length);
        var summary = Assert.Single(records, r => r.GetProperty("kind").GetString() == ProblemRecorder.SummaryKind);
        Assert.Equal(499, summary.GetProperty("repeated").GetInt64());
        Assert.Equal(404, summary.GetProperty("status").GetInt32());
        Assert.Equal(8001, summary.GetProperty("path_length").GetInt32());
        Assert.True(AuditSegments.List(factory.AuditDirectory).Sum(s => new FileInfo(s).Length) < 8 * 1024, "500 requests of an 8,000-character path");
    }

    private static JsonElement[] Records(ServiceFactory factory) =>
        AuditSegments.List(factory.AuditDirectory).SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
}
