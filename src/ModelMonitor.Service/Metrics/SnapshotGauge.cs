using Prometheus;

namespace ModelMonitor.Service.Metrics;

/// <summary>One series of a <see cref="SnapshotGauge"/>: its label values, in the gauge's label order, and its value.</summary>
internal readonly record struct GaugeSample(double Value, params string[] Labels);

/// <summary>
/// A gauge over state another part of the service owns (the drift monitor's latest evaluation,
/// active alerts, the model): at each scrape its series become exactly what <c>read</c> returns.
/// Series it no longer returns are removed (a feature that left the evaluation, an alert that
/// resolved), and a gauge with nothing to report shows no sample rather than a made-up 0.
/// </summary>
internal sealed class SnapshotGauge
{
    private readonly Gauge gauge;
    private readonly Func<IEnumerable<GaugeSample>> read;
    private readonly bool labelled;

    public SnapshotGauge(IMetricFactory factory, string name, string help, string[] labels, Func<IEnumerable<GaugeSample>> read)
    {
        gauge = factory.CreateGauge(name, help, labels, new GaugeConfiguration { SuppressInitialValue = true });
        this.read = read;
        labelled = labels.Length > 0;
    }

    /// <summary>Replaces the gauge's series with the current ones. Callers serialize refreshes.</summary>
    public void Refresh()
    {
        var samples = read().ToArray();
        if (!labelled)
        {
            if (samples.Length == 0)
            {
                gauge.Unpublish();
            }
            else
            {
                gauge.Set(samples[^1].Value);
            }

            return;
        }

        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            gauge.WithLabels(sample.Labels).Set(sample.Value);
            current.Add(Key(sample.Labels));
        }

        foreach (var stale in gauge.GetAllLabelValues().Where(values => !current.Contains(Key(values))).ToArray())
        {
            gauge.RemoveLabelled(stale);
        }
    }

    private static string Key(string[] labelValues) => string.Join('\u0001', labelValues);
}
