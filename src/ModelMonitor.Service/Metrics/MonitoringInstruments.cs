using System.Diagnostics.Metrics;
using ModelMonitor.Audit;
using ModelMonitor.Inference.Onnx;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Service.Hosting;
using ModelMonitor.Service.Inference;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Statistics.Drift;

namespace ModelMonitor.Service.Metrics;

/// <summary>
/// Observable instruments over state other parts own: the model's identity, the drift monitor's
/// latest evaluation and performance, active alerts, and the audit store. Read at each scrape.
/// </summary>
internal sealed class MonitoringInstruments
{
    public MonitoringInstruments(ServiceMetrics metrics, ModelHost host, DriftMonitor monitor, IServiceProvider services)
    {
        var meter = metrics.Meter;
        var audit = services.GetRequiredService<Auditing.AuditTrail>().Enabled ? services.GetRequiredService<AuditLog>() : null;

        meter.CreateObservableGauge("modelmonitor.model.info", () => ModelInfo(host), null, "The served model: name, version, sha256 of the ONNX file, ONNX Runtime version (always 1).");

        meter.CreateObservableGauge("modelmonitor.model.accuracy", () => Performance(monitor, p => [new(p.Accuracy)]), null, "Accuracy over the labelled predictions of the latest evaluated window.");
        meter.CreateObservableGauge("modelmonitor.model.f1_score", () => Performance(monitor, p => Averaged(p.F1Macro, p.F1Weighted)), null, "F1 over the labelled predictions of the latest evaluated window, macro and weighted.");
        meter.CreateObservableGauge("modelmonitor.model.precision", () => Performance(monitor, p => Averaged(p.PrecisionMacro, p.PrecisionWeighted)), null, "Precision over the labelled predictions of the latest evaluated window, macro and weighted.");
        meter.CreateObservableGauge("modelmonitor.model.recall", () => Performance(monitor, p => Averaged(p.RecallMacro, p.RecallWeighted)), null, "Recall over the labelled predictions of the latest evaluated window, macro and weighted.");
        meter.CreateObservableGauge("modelmonitor.model.labelled_predictions", () => Performance(monitor, p => [new(p.Labelled)]), null, "Labelled predictions in the latest evaluated window.");
        meter.CreateObservableGauge<double>("modelmonitor.model.baseline_accuracy", () => monitor.Baseline.Accuracy is { } a ? [new Measurement<double>(a, new KeyValuePair<string, object?>("source", monitor.Baseline.Source))] : [], null, "The accuracy baseline performance is compared with.");

        meter.CreateObservableGauge("modelmonitor.drift.statistic", () => Features(monitor, TestStatistics), null, "Each feature's test statistics in the latest evaluation (ks, chi_square, psi, wasserstein, wasserstein_normed, jensen_shannon).");
        meter.CreateObservableGauge("modelmonitor.drift.p_value", () => Features(monitor, f => [new(f.PValue, Feature(f))]), null, "Each feature's significance-test p-value in the latest evaluation, before correction.");
        meter.CreateObservableGauge("modelmonitor.drift.adjusted_p_value", () => Features(monitor, f => [new(f.AdjustedPValue, Feature(f))]), null, "Each feature's p-value after the multiple-testing correction.");
        meter.CreateObservableGauge("modelmonitor.drift.effect_size", () => Features(monitor, f => [new(f.EffectValue, Feature(f), new("measure", f.EffectSize))]), null, "Each feature's primary effect size (normed Wasserstein for numeric features, Jensen-Shannon for categorical ones).");
        meter.CreateObservableGauge("modelmonitor.drift.feature_drifted", () => Features(monitor, f => [new(f.Verdict == DriftVerdict.Drift ? 1 : 0, Feature(f))]), null, "1 when the feature drifted in the latest evaluation, else 0.");
        meter.CreateObservableGauge<int>("modelmonitor.drift.detected", () => monitor.Latest is { Skipped: false } e ? [new Measurement<int>(e.DriftDetected ? 1 : 0)] : [], null, "1 when the latest evaluation found drift (any severity), else 0.");
        meter.CreateObservableGauge<int>("modelmonitor.drift.severity", () => monitor.Latest is { Skipped: false } e ? [new Measurement<int>((int)e.Severity)] : [], null, "Severity of the latest evaluation: 0 none, 1 low, 2 medium, 3 high, 4 critical.");
        meter.CreateObservableGauge<int>("modelmonitor.drift.window.size", () => monitor.Enabled ? [new Measurement<int>(monitor.Window.Count)] : [], "{prediction}", "Predictions in the current window.");
        meter.CreateObservableGauge<int>("modelmonitor.drift.reference.size", () => monitor.Reference is { } r ? [new Measurement<int>(r.Count)] : [], "{text}", "Texts in the frozen reference.");
        meter.CreateObservableCounter("modelmonitor.drift.evaluations", () => monitor.Latest?.Sequence ?? 0, "{evaluation}", "Drift evaluations run since start.");
        meter.CreateObservableGauge("modelmonitor.alerts.active", () => ActiveAlerts(monitor), "{alert}", "Firing alerts by type and severity.");

        if (audit is not null)
        {
            var commits = meter.CreateHistogram<double>("modelmonitor.audit.commit.duration", "s", "Time to write and commit one group of audit records (fsync included by default).");
            audit.Committed += (_, elapsed) => commits.Record(elapsed.TotalSeconds);
            meter.CreateObservableCounter("modelmonitor.audit.records", () => audit.RecordsWritten, "{record}", "Audit records written since start.");
            meter.CreateObservableCounter("modelmonitor.audit.written", () => audit.BytesWritten, "By", "Audit bytes written since start.");
            meter.CreateObservableGauge("modelmonitor.audit.store.size", () => StoreBytes(audit.Settings.Directory), "By", "Bytes on disk in the audit store's segments.");
        }
    }

    private static KeyValuePair<string, object?> Feature(FeatureDriftResult feature) => new("feature", feature.Feature);

    private static Measurement<double>[] Averaged(double macro, double weighted) =>
        [new(macro, new KeyValuePair<string, object?>("average", "macro")), new(weighted, new KeyValuePair<string, object?>("average", "weighted"))];

    private static IEnumerable<Measurement<double>> Performance(DriftMonitor monitor, Func<ModelMonitor.Monitoring.Performance.PerformanceSnapshot, IEnumerable<Measurement<double>>> select) =>
        monitor.Latest?.Performance is { } performance ? select(performance) : [];

    private static IEnumerable<Measurement<double>> Features(DriftMonitor monitor, Func<FeatureDriftResult, IEnumerable<Measurement<double>>> select) =>
        monitor.Latest is { Skipped: false } evaluation ? evaluation.Features.SelectMany(select) : [];

    private static IEnumerable<Measurement<double>> TestStatistics(FeatureDriftResult feature) =>
        feature.Tests.Select(t => new Measurement<double>(t.Statistic, Feature(feature), new KeyValuePair<string, object?>("test", t.Test)));

    private static IEnumerable<Measurement<int>> ActiveAlerts(DriftMonitor monitor) =>
        monitor.ActiveAlerts.Select(a => new Measurement<int>(1, new KeyValuePair<string, object?>("type", a.Type), new KeyValuePair<string, object?>("severity", a.Severity.Name())));

    private static IEnumerable<Measurement<int>> ModelInfo(ModelHost host)
    {
        if (!host.IsReady)
        {
            return [];
        }

        var model = host.Classifier.Model;
        return [new Measurement<int>(1, new("name", model.Name), new("version", model.Version), new("sha256", model.Sha256), new("runtime_version", OnnxRuntimeEnvironment.RuntimeVersion))];
    }

    private static long StoreBytes(string directory) =>
        Directory.Exists(directory) ? new DirectoryInfo(directory).EnumerateFiles("*.jsonl").Sum(f => f.Length) : 0;
}
