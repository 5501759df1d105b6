using System.Diagnostics.Metrics;

namespace ModelMonitor.Service.Inference;

/// <summary>
/// The service's instruments (System.Diagnostics.Metrics, meter <c>ModelMonitor</c>): request and
/// stage durations in seconds, batch sizes, queue depth, predictions, errors and alerts.
/// <see cref="Metrics.PrometheusExporter"/> exposes them at /metrics.
/// </summary>
internal sealed class ServiceMetrics : IDisposable
{
    public const string MeterName = "ModelMonitor";
    private readonly Meter meter;
    private long queuedTexts;

    public ServiceMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        TokenizeDuration = meter.CreateHistogram<double>("modelmonitor.tokenize.duration", "s", "Time to tokenize one request's texts.");
        QueueDuration = meter.CreateHistogram<double>("modelmonitor.queue.duration", "s", "Time a request waited for its batch.");
        InferenceDuration = meter.CreateHistogram<double>("modelmonitor.inference.duration", "s", "Time of one ONNX Runtime call.");
        ActiveCalls = meter.CreateUpDownCounter<long>("modelmonitor.inference.active_calls", "{call}", "ONNX Runtime calls running now (at most Batching:Workers).");
        BatchSize = meter.CreateHistogram<int>("modelmonitor.batch.size", "{text}", "Texts per ONNX Runtime call.");
        BatchTokens = meter.CreateHistogram<int>("modelmonitor.batch.tokens", "{token}", "Padded tokens per ONNX Runtime call.");
        Predictions = meter.CreateCounter<long>("modelmonitor.predictions", "{prediction}", "Predictions served, by predicted label and model.");
        RequestDuration = meter.CreateHistogram<double>("modelmonitor.http.request.duration", "s", "HTTP request duration by method, route and status.");
        InFlight = meter.CreateUpDownCounter<long>("modelmonitor.http.requests.in_flight", "{request}", "HTTP requests being handled.");
        Errors = meter.CreateCounter<long>("modelmonitor.errors", "{error}", "Requests answered with an error (4xx or 5xx), by reason and status.");
        AlertsFired = meter.CreateCounter<long>("modelmonitor.alerts.fired", "{alert}", "Alerts fired (and escalated), by type and severity.");
        AlertsSent = meter.CreateCounter<long>("modelmonitor.alerts.sent", "{notification}", "Alert e-mails the SMTP server accepted, by severity.");
        AlertsFailed = meter.CreateCounter<long>("modelmonitor.alerts.failed", "{attempt}", "Failed alert e-mail attempts, by severity.");
        meter.CreateObservableGauge("modelmonitor.queue.depth", () => Interlocked.Read(ref queuedTexts), "{text}", "Texts waiting for inference.");
    }

    /// <summary>This service's meter (each host has its own, so parallel tests do not mix).</summary>
    public Meter Meter => meter;

    public Histogram<double> TokenizeDuration { get; }

    public Histogram<double> QueueDuration { get; }

    public Histogram<double> InferenceDuration { get; }

    public UpDownCounter<long> ActiveCalls { get; }

    public Histogram<int> BatchSize { get; }

    public Histogram<int> BatchTokens { get; }

    public Counter<long> Predictions { get; }

    public Histogram<double> RequestDuration { get; }

    public UpDownCounter<long> InFlight { get; }

    public Counter<long> Errors { get; }

    public Counter<long> AlertsFired { get; }

    public Counter<long> AlertsSent { get; }

    public Counter<long> AlertsFailed { get; }

    public long QueuedTexts => Interlocked.Read(ref queuedTexts);

    public long AddQueued(long texts) => Interlocked.Add(ref queuedTexts, texts);

    public void Dispose() => meter.Dispose();
}
