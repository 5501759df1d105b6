using ModelMonitor.Inference.Classification;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Service.Monitoring;
using ModelMonitor.Testing;
using Xunit.Abstractions;

namespace ModelMonitor.Service.Tests.Monitoring;

/// <summary>
/// How many predictions after banking77 traffic starts to be mixed into SST-2 traffic (10%, 25%,
/// 50%) the monitor first raises drift (severity low or above), with the default policy, window
/// (1,000 predictions) and the SST-2 train reference with live scores. The window starts full of
/// 500 SST-2 dev predictions; an evaluation runs every 50 predictions. The delays are printed;
/// docs/drift.md reports them.
/// </summary>
public sealed class DetectionDelayTests(ITestOutputHelper output)
{
    private const int Step = 50;
    private const int Capacity = 1000;
    private const int Limit = 3000;
    private const int Seeds = 5;

    private static TextFeatureVector[] Score(TextClassifier classifier, IReadOnlyList<string> texts)
    {
        var encodings = texts.Select(classifier.Tokenize).ToArray();
        return FeatureExtractor.Extract(classifier, texts, encodings, classifier.Classify(encodings));
    }

    [Fact]
    public void Banking77_mixed_into_sst2_is_detected_and_more_of_it_is_detected_sooner()
    {
        using var classifier = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel));
        var labels = classifier.Model.Labels;
        var dev = Score(classifier, [.. TestPaths.ReadTsv(TestPaths.Sst2Dev).Select(d => d.Text)]);
        var banking = Score(classifier, [.. TestPaths.ReadTsv(TestPaths.Banking77Dev).Select(d => d.Text)]);
        var (sentences, bank) = PhraseBank.Apply(ReferenceFileReader.Read(TestPaths.Sst2Train), SubphraseHandling.Auto);
        var train = ReferenceProfile.Create("train", DateTimeOffset.UnixEpoch, Score(classifier, [.. sentences.Select(s => s.Text)]), labels, [], 10, bank);
        var policy = new DriftPolicy();

        var medians = new Dictionary<double, double>();
        // 0%: the same procedure without any banking77 traffic, so a "delay" there is a false alarm.
        foreach (var share in new[] { 0.0, 0.10, 0.25, 0.50 })
        {
            var delays = new List<int>();
            for (var seed = 0; seed < Seeds; seed++)
            {
                var random = new Random(1000 + seed);
                var order = Enumerable.Range(0, dev.Length).OrderBy(_ => random.Next()).ToArray();

                // The first 372 dev predictions are the live score reference; the window begins with 500 clean ones.
                var profile = train.WithLiveScores(ScoreSample.From(DateTimeOffset.UnixEpoch, "train", [.. order.Take(372).Select(i => dev[i])], null));
                var window = new List<TextFeatureVector>(order.Skip(372).Select(i => dev[i]));
                var delay = -1;
                for (var n = 1; n <= Limit && delay < 0; n++)
                {
                    window.Add(random.NextDouble() < share ? banking[random.Next(banking.Length)] : dev[random.Next(dev.Length)]);
                    if (window.Count > Capacity)
                    {
                        window.RemoveAt(0);
                    }

                    if (n % Step == 0)
                    {
                        var evaluation = DriftEvaluator.Evaluate(n, DateTimeOffset.UnixEpoch, profile, new WindowSample(window, [.. Enumerable.Repeat(-1, window.Count)], null, null), PerformanceBaseline.None, policy);
                        delay = evaluation.DriftDetected ? n : -1;
                    }
                }

                delays.Add(delay < 0 ? int.MaxValue : delay);
            }

            delays.Sort();
            medians[share] = delays[Seeds / 2];
            output.WriteLine($"banking77 at {share:P0}: first drift after {string.Join(", ", delays.Select(d => d == int.MaxValue ? $">{Limit}" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))} predictions (median {(delays[Seeds / 2] == int.MaxValue ? $">{Limit}" : delays[Seeds / 2].ToString(System.Globalization.CultureInfo.InvariantCulture))}; {Seeds} seeds, evaluated every {Step})");
        }

        Assert.True(medians[0.50] <= medians[0.25] && medians[0.25] <= medians[0.10], "more banking77 traffic must not be detected later");
        Assert.True(medians[0.50] <= 500, $"half banking77 traffic detected only after {medians[0.50]} predictions");
        Assert.True(medians[0.10] <= Limit, "10% banking77 traffic was not detected within the limit");
    }
}
