using ModelMonitor.Service.Metrics;
using Prometheus;

namespace ModelMonitor.Service.Inference;

/// <summary>
/// The metrics the service's code records as things happen (prometheus-net types on this host's
/// own registry, see <see cref="MetricsRegistration"/>): request and stage durations in seconds,
/// batch sizes, queue depth, running calls, predictions, errors and alerts. A value recorded here
/// is kept from the moment it is recorded, so requests served before the first scrape count too.
/// Label names are declared in alphabetical order, the order they appear in on /metrics.
/// </summary>
internal sealed class ServiceMetrics
{
    private long queuedTexts;
    private long activeCalls;
    private long peakActiveCalls;

    public ServiceMetrics(CollectorRegistry registry, IMetricFactory factory)
    {
        TokenizeDuration = Seconds(factory, "modelmonitor_tokenize_duration_seconds", "Time to tokenize one request's texts.");
        QueueDuration = Seconds(factory, "modelmonitor_queue_duration_seconds", "Time a request waited for its batch.");
        InferenceDuration = Seconds(factory, "modelmonitor_inference_duration_seconds", "Time of one ONNX Runtime call.");
        SoloCalls = factory.CreateCounter("modelmonitor_inference_solo_calls_total", "ONNX Runtime calls that ran alone on the model's solo session with every core (Batching:SoloCalls).");
        BatchSize = factory.CreateHistogram("modelmonitor_batch_size", "Texts per ONNX Runtime call.", new HistogramConfiguration { Buckets = MetricBuckets.BatchTexts });
        BatchTokens = factory.CreateHistogram("modelmonitor_batch_tokens", "Padded tokens per ONNX Runtime call.", new HistogramConfiguration { Buckets = MetricBuckets.BatchTokens });
        Predictions = factory.CreateCounter("modelmonitor_predictions_total", "Predictions served, by predicted label and model.", ["label", "model"]);
        RequestDuration = Seconds(factory, "modelmonitor_http_request_duration_seconds", "HTTP request duration by method, route and status.", ["method", "route", "status"]);
        InFlight = factory.CreateGauge("modelmonitor_http_requests_in_flight", "HTTP requests being handled.");
        Errors = factory.CreateCounter("modelmonitor_errors_total", "Requests answered with an error (4xx or 5xx), by reason and status.", ["reason", "status"]);
        AlertsFired = factory.CreateCounter("modelmonitor_alerts_fired_total", "Alerts fired (and escalated), by type and severity.", ["severity", "type"]);
        AlertsSent = factory.CreateCounter("modelmonitor_alerts_sent_total", "Alert e-mails the SMTP server accepted, by severity.", ["severity"]);
        AlertsFailed = factory.CreateCounter("modelmonitor_alerts_failed_total", "Failed alert e-mail attempts, by severity.", ["severity"]);

        // The batcher keeps these two counts for its own decisions; the gauges read them at each scrape.
        var queueDepth = factory.CreateGauge("modelmonitor_queue_depth", "Texts waiting for inference.");
        var running = factory.CreateGauge("modelmonitor_inference_active_calls", "ONNX Runtime calls running now (at most Batching:Workers).");
        registry.AddBeforeCollectCallback(() =>
        {
            queueDepth.Set(QueuedTexts);
            running.Set(ActiveCalls);
        });
    }

    public Histogram TokenizeDuration { get; }

    public Histogram QueueDuration { get; }

    public Histogram InferenceDuration { get; }

    public Histogram BatchSize { get; }

    /// <summary>Calls that ran alone, on the solo session.</summary>
    public Counter SoloCalls { get; }

    public Histogram BatchTokens { get; }

    /// <summary>Labels: label, model.</summary>
    public Counter Predictions { get; }

    /// <summary>Labels: method, route, status.</summary>
    public Histogram RequestDuration { get; }

    public Gauge InFlight { get; }

    /// <summary>Labels: reason, status.</summary>
    public Counter Errors { get; }

    /// <summary>Labels: severity, type.</summary>
    public Counter AlertsFired { get; }

    /// <summary>Labels: severity.</summary>
    public Counter AlertsSent { get; }

    /// <summary>Labels: severity.</summary>
    public Counter AlertsFailed { get; }

    public long QueuedTexts => Interlocked.Read(ref queuedTexts);

    /// <summary>ONNX Runtime calls running now.</summary>
    public long ActiveCalls => Interlocked.Read(ref activeCalls);

    /// <summary>
    /// The most ONNX Runtime calls that ran at once since start. Calls last milliseconds, so the
    /// active-calls gauge, read every few seconds, rarely shows an overlap; this does.
    /// </summary>
    public long PeakActiveCalls => Interlocked.Read(ref peakActiveCalls);

    public long AddQueued(long texts) => Interlocked.Add(ref queuedTexts, texts);

    public void CallStarted()
    {
        var now = Interlocked.Increment(ref activeCalls);
        for (var peak = PeakActiveCalls; now > peak; peak = PeakActiveCalls)
        {
            Interlocked.CompareExchange(ref peakActiveCalls, now, peak);
        }
    }

    public void CallEnded() => Interlocked.Decrement(ref activeCalls);

    private static Histogram Seconds(IMetricFactory factory, string name, string help, string[]? labels = null) =>
        factory.CreateHistogram(name, help, labels ?? [], new HistogramConfiguration { Buckets = MetricBuckets.Seconds });
}
