using ModelMonitor.Audit;
using ModelMonitor.Inference.Onnx;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Service.Auditing;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Statistics.Drift;
using Prometheus;

namespace ModelMonitor.Service.Metrics;

/// <summary>
/// Metrics over state other parts own: the model's identity, the drift monitor's latest evaluation
/// and performance, active alerts, and the audit store. Read at each scrape (a before-collect
/// callback on the registry), except the audit commit histogram, which records every commit.
/// Counters here follow totals their owners keep since start, so nothing is lost between scrapes.
/// </summary>
internal sealed class MonitoringInstruments
{
    private readonly Lock refresh = new();

    public MonitoringInstruments(CollectorRegistry registry, IMetricFactory factory, ModelHost host, DriftMonitor monitor, AuditTrail trail, IServiceProvider services)
    {
        var role = services.GetRequiredService<ModelMonitor.Service.ScaleOut.MonitorRole>();
        SnapshotGauge[] gauges =
        [
            new(factory, "modelmonitor_monitor_leader", "1 when this replica leads the monitor (runs the evaluations and sends alert e-mail), else 0; always 1 with the file store.", ["writer"], () => [new(role.IsLeader ? 1 : 0, role.WriterId)]),
            new(factory, "modelmonitor_model_info", "The served model: name, version, sha256 of the ONNX file, ONNX Runtime version (always 1).", ["name", "runtime_version", "sha256", "version"], () => ModelInfo(host)),
            new(factory, "modelmonitor_model_accuracy", "Accuracy over the labelled predictions of the latest evaluated window.", [], () => Performance(monitor, p => [new(p.Accuracy)])),
            new(factory, "modelmonitor_model_f1_score", "F1 over the labelled predictions of the latest evaluated window, macro and weighted.", ["average"], () => Performance(monitor, p => Averaged(p.F1Macro, p.F1Weighted))),
            new(factory, "modelmonitor_model_precision", "Precision over the labelled predictions of the latest evaluated window, macro and weighted.", ["average"], () => Performance(monitor, p => Averaged(p.PrecisionMacro, p.PrecisionWeighted))),
            new(factory, "modelmonitor_model_recall", "Recall over the labelled predictions of the latest evaluated window, macro and weighted.", ["average"], () => Performance(monitor, p => Averaged(p.RecallMacro, p.RecallWeighted))),
            new(factory, "modelmonitor_model_labelled_predictions", "Labelled predictions in the latest evaluated window.", [], () => Performance(monitor, p => [new(p.Labelled)])),
            new(factory, "modelmonitor_model_baseline_accuracy", "The accuracy baseline performance is compared with.", ["source"], () => monitor.State.Baseline.Accuracy is { } a ? [new(a, monitor.State.Baseline.Source)] : []),
            new(factory, "modelmonitor_drift_statistic", "Each feature's test statistics in the latest evaluation (ks, chi_square, psi, wasserstein, wasserstein_normed, jensen_shannon).", ["feature", "test"], () => Features(monitor, f => f.Tests.Select(t => new GaugeSample(t.Statistic, f.Feature, t.Test)))),
            new(factory, "modelmonitor_drift_p_value", "Each feature's significance-test p-value in the latest evaluation, before correction.", ["feature"], () => Features(monitor, f => [new(f.PValue, f.Feature)])),
            new(factory, "modelmonitor_drift_adjusted_p_value", "Each feature's p-value after the multiple-testing correction.", ["feature"], () => Features(monitor, f => [new(f.AdjustedPValue, f.Feature)])),
            new(factory, "modelmonitor_drift_effect_size", "Each feature's primary effect size (normed Wasserstein for numeric features, Jensen-Shannon for categorical ones).", ["feature", "measure"], () => Features(monitor, f => [new(f.EffectValue, f.Feature, f.EffectSize)])),
            new(factory, "modelmonitor_drift_feature_drifted", "1 when the feature drifted in the latest evaluation, else 0.", ["feature"], () => Features(monitor, f => [new(f.Verdict == DriftVerdict.Drift ? 1 : 0, f.Feature)])),
            new(factory, "modelmonitor_estimated_accuracy", "Accuracy of the latest window estimated from calibrated confidence before labels (CBPE): the estimate and its interval bounds.", ["bound"], () => Estimated(monitor, e => e.Accuracy)),
            new(factory, "modelmonitor_estimated_f1", "Macro F1 of the latest window estimated from calibrated confidence before labels (CBPE): the estimate and its interval bounds.", ["bound"], () => Estimated(monitor, e => e.Macro.F1)),
            new(factory, "modelmonitor_drift_detected", "1 when the latest evaluation found drift (any severity), else 0.", [], () => monitor.State.Latest is { Skipped: false } e ? [new(e.DriftDetected ? 1 : 0)] : []),
            new(factory, "modelmonitor_drift_severity", "Severity of the latest evaluation: 0 none, 1 low, 2 medium, 3 high, 4 critical.", [], () => monitor.State.Latest is { Skipped: false } e ? [new((int)e.Severity)] : []),
            new(factory, "modelmonitor_drift_window_size", "Predictions in the current window.", [], () => monitor.Enabled ? [new(monitor.WindowCount)] : []),
            new(factory, "modelmonitor_drift_reference_size", "Texts in the frozen reference.", [], () => monitor.State.Reference is { } r ? [new(r.Count)] : []),
            new(factory, "modelmonitor_alerts_active", "Firing alerts by type and severity.", ["severity", "type"], () => monitor.State.ActiveAlerts.Select(a => new GaugeSample(1, a.Severity.Name(), a.Type))),
        ];
        var evaluations = factory.CreateCounter("modelmonitor_drift_evaluations_total", "Drift evaluations run since start.");
        var audit = trail.Enabled ? services.GetRequiredService<IAuditWriter>() : null;
        var auditTotals = audit is null ? null : AuditTotals(factory, audit);
        registry.AddBeforeCollectCallback(() =>
        {
            lock (refresh)
            {
                foreach (var gauge in gauges)
                {
                    gauge.Refresh();
                }

                evaluations.IncTo(monitor.State.Latest?.Sequence ?? 0);
                auditTotals?.Invoke();
            }
        });
    }

    /// <summary>The audit store's metrics; returns the refresh of the ones read at each scrape.</summary>
    private static Action AuditTotals(IMetricFactory factory, IAuditWriter audit)
    {
        var commits = factory.CreateHistogram("modelmonitor_audit_commit_duration_seconds", "Time to write and commit one group of audit records (fsync included by default).", new HistogramConfiguration { Buckets = MetricBuckets.Seconds });
        audit.Committed += (_, elapsed) => commits.Observe(elapsed.TotalSeconds);
        var records = factory.CreateCounter("modelmonitor_audit_records_total", "Audit records written since start.");
        var bytes = factory.CreateCounter("modelmonitor_audit_written_bytes_total", "Audit bytes written since start.");
        var size = factory.CreateGauge("modelmonitor_audit_store_size_bytes", "Bytes on disk in the audit store's segments (file store only).");
        return () =>
        {
            records.IncTo(audit.RecordsWritten);
            bytes.IncTo(audit.BytesWritten);
            if (audit is AuditLog file)
            {
                // The database store's size is the database's to report (pg_total_relation_size).
                size.Set(StoreBytes(file.Settings.Directory));
            }
        };
    }

    private static GaugeSample[] Averaged(double macro, double weighted) => [new(macro, "macro"), new(weighted, "weighted")];

    private static IEnumerable<GaugeSample> Estimated(DriftMonitor monitor, Func<ModelMonitor.Statistics.Estimation.PerformanceEstimate, ModelMonitor.Statistics.Estimation.MetricEstimate> select) =>
        monitor.State.Latest?.Estimated is { } estimated && select(estimated.Estimate) is var m
            ? [new(m.Value, "estimate"), new(m.Low, "low"), new(m.High, "high")]
            : [];

    private static IEnumerable<GaugeSample> Performance(DriftMonitor monitor, Func<PerformanceSnapshot, IEnumerable<GaugeSample>> select) =>
        monitor.State.Latest?.Performance is { } performance ? select(performance) : [];

    private static IEnumerable<GaugeSample> Features(DriftMonitor monitor, Func<FeatureDriftResult, IEnumerable<GaugeSample>> select) =>
        monitor.State.Latest is { Skipped: false } evaluation ? evaluation.Features.SelectMany(select) : [];

    private static IEnumerable<GaugeSample> ModelInfo(ModelHost host)
    {
        if (!host.IsReady)
        {
            return [];
        }

        var model = host.Classifier.Model;
        return [new GaugeSample(1, model.Name, OnnxRuntimeEnvironment.RuntimeVersion, model.Sha256, model.Version)];
    }

    private static long StoreBytes(string directory) =>
        Directory.Exists(directory) ? new DirectoryInfo(directory).EnumerateFiles("*.jsonl").Sum(f => f.Length) : 0;
}
