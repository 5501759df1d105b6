using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ModelMonitor.Audit;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Service.Logging;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Auditing;

/// <summary>
/// What the service records: one record per prediction (awaited, so a 200 means the record is
/// stored) and one per rejected or failed request.
/// </summary>
internal sealed class AuditTrail(IServiceProvider services, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditTrail> logger)
{
    private readonly IAuditWriter? log = options.Value.Enabled ? services.GetRequiredService<IAuditWriter>() : null;

    private readonly IAuditSource? source = options.Value.Enabled ? services.GetRequiredService<IAuditSource>() : null;

    /// <summary>Set on a request whose error was already recorded with its detail.</summary>
    public const string RecordedMarker = "ModelMonitor.Audit.Recorded";

    public bool Enabled => log is not null;

    /// <summary>The store to read (either kind), or null when auditing is off.</summary>
    public IAuditSource? Source => source;

    /// <summary>A record by id: through the file store's sparse index (one small read, whatever the store's size) or the table's primary key.</summary>
    public AuditRecordView? Find(string id) => source?.Find(id);

    /// <summary>Whether the store holds a record of this kind with this id.</summary>
    public bool Contains(string id, string kind) => source?.Contains(id, kind) ?? false;

    /// <summary>
    /// Null when predictions can be served with their records; otherwise why not. Only a fail-closed
    /// store makes the service unready: with Audit:FailOpen it serves (loudly) without records.
    /// </summary>
    public string? CheckWritable() =>
        log is null || options.Value.FailOpen ? null : log.CheckWritable() is { } reason ? $"The audit store cannot write, so predictions are refused (fail-closed): {reason}" : null;

    /// <summary>
    /// Records the predictions and returns their record ids. Fails closed with
    /// <see cref="AuditUnavailableException"/>, or, with Audit:FailOpen, logs loudly and returns null.
    /// </summary>
    public async Task<IReadOnlyList<string>?> RecordPredictionsAsync(
        HttpContext context,
        IReadOnlyList<string> texts,
        IReadOnlyList<Classification> results,
        ModelDescriptor model,
        double latencyMs,
        DateTimeOffset at,
        IReadOnlyList<ModelMonitor.Monitoring.Features.TextFeatureVector>? features,
        CancellationToken cancellationToken)
    {
        if (log is null)
        {
            return null;
        }

        try
        {
            return await log.AppendAsync(PredictionEntries(context.TraceIdentifier, texts, results, model, latencyMs, at, features), cancellationToken);
        }
        catch (AuditWriteException e)
        {
            return Unrecorded(context.TraceIdentifier, texts.Count, e);
        }
    }

    /// <summary>Commits entries built elsewhere (the batcher commits a whole inference cycle at once).</summary>
    public Task<IReadOnlyList<string>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken) =>
        log is null ? Task.FromResult<IReadOnlyList<string>>([]) : log.AppendAsync(entries, cancellationToken);

    /// <summary>Fails closed (throws) or, with Audit:FailOpen, logs the unaudited predictions loudly and returns null.</summary>
    public IReadOnlyList<string>? Unrecorded(string requestId, int count, AuditWriteException failure)
    {
        if (!options.Value.FailOpen)
        {
            throw new AuditUnavailableException($"The audit store cannot record this prediction, so it was not served: {failure.Message}", failure);
        }

        Log.UnauditedPrediction(logger, count, requestId, failure.Message);
        return null;
    }

    /// <summary>One prediction record per text, stamped <paramref name="at"/>. Captures values only, so it can run after the request.</summary>
    public AuditEntry[] PredictionEntries(string requestId, IReadOnlyList<string> texts, IReadOnlyList<Classification> results, ModelDescriptor model, double latencyMs, DateTimeOffset at, IReadOnlyList<ModelMonitor.Monitoring.Features.TextFeatureVector>? features = null)
    {
        var redact = options.Value.Redact;
        var now = at;
        var entries = new AuditEntry[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            var result = results[i];
            var index = i;
            entries[i] = new AuditEntry("prediction", now, requestId, json =>
            {
                json.WriteStartObject("model");
                json.WriteString("name", model.Name);
                json.WriteString("version", model.Version);
                json.WriteString("sha256", model.Sha256);
                json.WriteEndObject();
                json.WriteNumber("index", index);
                json.WriteStartObject("input");
                if (redact)
                {
                    json.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
                    json.WriteNumber("length", text.Length);
                }
                else
                {
                    json.WriteString("text", text);
                }

                json.WriteEndObject();
                json.WriteNumber("chars", text.Length);
                json.WriteNumber("tokens", result.TokenCount);
                json.WriteBoolean("truncated", result.Truncated);
                json.WriteString("label", result.Label);
                json.WriteNumber("score", result.Score);
                json.WriteStartObject("scores");
                for (var j = 0; j < model.Labels.Count; j++)
                {
                    json.WriteNumber(model.Labels[j], result.Probabilities[j]);
                }

                json.WriteEndObject();
                json.WriteNumber("latency_ms", Math.Round(latencyMs, 3));
                if (features is not null)
                {
                    ModelMonitor.Monitoring.Reports.MonitoringAuditRecords.WriteFeatures(json, features[index]);
                }
            });
        }

        return entries;
    }

    /// <summary>
    /// Records a rejected (4xx: warning) or failed (5xx: error) request, its path and problem cut to
    /// Audit:MaxRecordedChars. Never blocks or throws; <see cref="ProblemRecorder"/> writes it.
    /// </summary>
    public void RecordProblem(HttpContext context, int status, string detail)
    {
        context.Items[RecordedMarker] = true;
        if (log is null)
        {
            return;
        }

        // Read everything now: the writer runs after the request, when the HttpContext is gone.
        var limit = options.Value.MaxRecordedChars;
        var path = context.Request.Path.Value ?? "/";
        services.GetRequiredService<ProblemRecorder>().Post(new ProblemEvent(
            status >= 500 ? "error" : "warning",
            time.GetUtcNow(),
            context.TraceIdentifier,
            context.Request.Method,
            Cut(path, limit),
            path.Length,
            status,
            Cut(detail, limit),
            detail.Length));
    }

    /// <summary>The first <paramref name="limit"/> characters, never ending inside a surrogate pair.</summary>
    private static string Cut(string text, int limit) =>
        text.Length <= limit ? text : text[..(char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit)];
}
