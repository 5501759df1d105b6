using System.Diagnostics.Metrics;
using System.Globalization;

namespace ModelMonitor.Service.Metrics;

/// <summary>
/// Aggregates the measurements of one <see cref="Meter"/> (this host's own, so parallel hosts in
/// tests do not mix) into Prometheus families: counters as running sums, histograms into fixed
/// buckets, up-down counters and observable gauges as current values. Names follow Prometheus
/// conventions: dots become underscores, the unit becomes a suffix (<c>s</c>: _seconds, <c>By</c>:
/// _bytes) and counters end in _total.
/// </summary>
internal sealed class MeterCollector : IDisposable
{
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener listener = new();
    private readonly Lock gate = new();
    private readonly Dictionary<Instrument, InstrumentState> states = [];
    private readonly IReadOnlyDictionary<string, double[]> buckets;

    public MeterCollector(Meter meter, IReadOnlyDictionary<string, double[]> buckets)
    {
        this.buckets = buckets;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                lock (gate)
                {
                    states[instrument] = new InstrumentState(instrument, BucketsFor(instrument));
                }

                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>Polls the observable instruments, then snapshots every family.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (gate)
        {
            foreach (var state in states.Values.Where(s => s.Observable))
            {
                state.Series.Clear();
            }
        }

        listener.RecordObservableInstruments();
        lock (gate)
        {
            return [.. states.Values.Select(s => s.ToFamily()).Where(f => f is not null).Select(f => f!)];
        }
    }

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new (string, string)[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = (PrometheusText.SanitizeName(tags[i].Key), Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        var key = string.Join('\u0001', labels.Select(l => l.Item1 + "\u0002" + l.Item2));
        lock (gate)
        {
            if (states.TryGetValue(instrument, out var state))
            {
                state.Add(key, labels, value);
            }
        }
    }

    private double[]? BucketsFor(Instrument instrument)
    {
        if (instrument is not Histogram<double> and not Histogram<int> and not Histogram<long>)
        {
            return null;
        }

        return buckets.TryGetValue(instrument.Name, out var own) ? own : SecondsBuckets;
    }

    private sealed class InstrumentState(Instrument instrument, double[]? bounds)
    {
        public bool Observable { get; } = instrument.IsObservable;

        public Dictionary<string, Series> Series { get; } = new(StringComparer.Ordinal);

        private string Kind => instrument switch
        {
            _ when bounds is not null => "histogram",
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
            _ => "gauge",
        };

        public void Add(string key, (string, string)[] labels, double value)
        {
            if (!Series.TryGetValue(key, out var series))
            {
                series = new Series(labels, bounds is null ? null : new long[bounds.Length + 1]);
                Series[key] = series;
            }

            if (bounds is not null)
            {
                var index = Array.BinarySearch(bounds, value);
                index = index >= 0 ? index : ~index;
                series.Buckets![index]++;
                series.Sum += value;
                series.Count++;
            }
            else if (Observable && Kind == "gauge")
            {
                series.Value = value;
            }
            else if (Observable)
            {
                // Observable counters report their cumulative value.
                series.Value = value;
            }
            else
            {
                series.Value += value;
            }
        }

        public MetricFamily? ToFamily()
        {
            var kind = Kind;
            var name = PrometheusText.SanitizeName(instrument.Name.Replace('.', '_'));
            name += instrument.Unit switch
            {
                "s" when !name.EndsWith("_seconds", StringComparison.Ordinal) => "_seconds",
                "By" when !name.EndsWith("_bytes", StringComparison.Ordinal) => "_bytes",
                _ => "",
            };
            if (kind == "counter")
            {
                name += "_total";
            }

            var help = instrument.Description ?? instrument.Name;
            var samples = new List<MetricSample>();
            foreach (var series in Series.Values.OrderBy(s => string.Join(',', s.Labels.Select(l => l.Item2)), StringComparer.Ordinal))
            {
                if (kind != "histogram")
                {
                    samples.Add(new MetricSample(name, series.Labels, series.Value));
                    continue;
                }

                long cumulative = 0;
                for (var i = 0; i < bounds!.Length; i++)
                {
                    cumulative += series.Buckets![i];
                    samples.Add(new MetricSample(name + "_bucket", [.. series.Labels, ("le", PrometheusText.FormatValue(bounds[i]))], cumulative));
                }

                samples.Add(new MetricSample(name + "_bucket", [.. series.Labels, ("le", "+Inf")], series.Count));
                samples.Add(new MetricSample(name + "_sum", series.Labels, series.Sum));
                samples.Add(new MetricSample(name + "_count", series.Labels, series.Count));
            }

            // A histogram or counter with no observations yet is still announced; a gauge with no value is left out.
            if (samples.Count == 0 && kind == "gauge")
            {
                return null;
            }

            return new MetricFamily(name, help, kind, samples);
        }
    }

    private sealed class Series((string, string)[] labels, long[]? buckets)
    {
        public (string, string)[] Labels { get; } = labels;

        public long[]? Buckets { get; } = buckets;

        public double Value { get; set; }

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
