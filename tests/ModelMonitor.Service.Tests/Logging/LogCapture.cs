using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ModelMonitor.Service.Tests.Logging;

/// <summary>
/// Every event the service logs, kept in memory. Registered as an <see cref="ILogEventSink"/>
/// service, it receives the events beside the console (the service reads sinks from its services).
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> events = new();

    public IReadOnlyList<LogEvent> Events => [.. events];

    public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);

    /// <summary>The first event that matches, waiting for it until the deadline.</summary>
    public async Task<LogEvent> WaitForAsync(Func<LogEvent, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (events.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No matching log event within {timeout}; logged: {string.Join(" | ", events.Select(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)))}");
            await Task.Delay(50);
        }
    }

    /// <summary>The value of a scalar property, or null.</summary>
    public static object? Property(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue scalar ? scalar.Value : null;
}
