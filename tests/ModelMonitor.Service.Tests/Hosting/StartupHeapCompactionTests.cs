using ModelMonitor.Service.Tests.Logging;
using ModelMonitor.Testing;

namespace ModelMonitor.Service.Tests.Hosting;

public sealed class StartupHeapCompactionTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task Startup_ends_with_one_compacting_collection_after_the_references_are_scored(string driftEnabled)
    {
        using var factory = new CapturingServiceFactory(new() { ["Log:MinimumLevel"] = "Information", ["Drift:Enabled"] = driftEnabled, ["Drift:ReferencePath"] = TestPaths.Sst2Dev });
        _ = factory.CreateClient();

        var compacted = await factory.Logs.WaitForAsync(e => e.MessageTemplate.Text.StartsWith("Startup done", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var after = Assert.IsType<double>(LogCapture.Property(compacted, "AfterMb"));
        var before = Assert.IsType<double>(LogCapture.Property(compacted, "BeforeMb"));
        Assert.InRange(after, 0.1, before);
        Assert.Single(factory.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Startup done", StringComparison.Ordinal));
        if (driftEnabled == "true")
        {
            // After the startup reference: its scoring's garbage is what the collection is for.
            var events = factory.Logs.Events.ToList();
            var reference = events.FindIndex(e => e.MessageTemplate.Text.StartsWith("Drift reference ready", StringComparison.Ordinal));
            Assert.InRange(reference, 0, events.IndexOf(compacted) - 1);
        }
    }
}
