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
/// How often the monitor raises drift when nothing changed: 200 random windows of 200 SST-2 dev
/// sentences, with the default policy (BH-corrected alpha 0.05 plus effect sizes), against a
/// held-out reference and against the SST-2 train sentences (with scores from the train texts and,
/// as by default, from live predictions). The rates are printed; docs/drift.md reports them.
/// </summary>
public sealed class FalseAlarmRateTests(ITestOutputHelper output)
{
    private const int Windows = 200;
    private const int WindowSize = 200;

    private static TextFeatureVector[] Score(TextClassifier classifier, IReadOnlyList<string> texts)
    {
        var encodings = texts.Select(classifier.Tokenize).ToArray();
        return FeatureExtractor.Extract(classifier, texts, encodings, classifier.Classify(encodings));
    }

    [Fact]
    public void Windows_without_drift_rarely_raise_it()
    {
        using var classifier = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel));
        var labels = classifier.Model.Labels;
        var dev = Score(classifier, [.. TestPaths.ReadTsv(TestPaths.Sst2Dev).Select(d => d.Text)]);
        var (sentences, bank) = PhraseBank.Apply(ReferenceFileReader.Read(TestPaths.Sst2Train), SubphraseHandling.Auto);
        var train = ReferenceProfile.Create("train", DateTimeOffset.UnixEpoch, Score(classifier, [.. sentences.Select(s => s.Text)]), labels, [], 10, bank);

        // Held-out reference: half of dev; windows come from the other half.
        var random = new Random(2026);
        var order = Enumerable.Range(0, dev.Length).ToArray();
        random.Shuffle(order);
        var half = dev.Length / 2;
        var heldOut = ReferenceProfile.Create("dev-half", DateTimeOffset.UnixEpoch, [.. order.Take(half).Select(i => dev[i])], labels, [], 10);
        var rest = order.Skip(half).Select(i => dev[i]).ToArray();

        // The default with a training-set reference: inputs and labels against the train sentences,
        // scores against the first live predictions (here the held-out half, as if it came first).
        var trainLiveScores = train.WithLiveScores(ScoreSample.From(DateTimeOffset.UnixEpoch, "train", [.. order.Take(half).Select(i => dev[i])], null));

        var policy = new DriftPolicy();
        int heldOutAlarms = 0, trainAlarms = 0, trainInputAlarms = 0, trainLiveAlarms = 0;
        for (var w = 0; w < Windows; w++)
        {
            var fromRest = rest.OrderBy(_ => random.Next()).Take(WindowSize).ToArray();
            var fromDev = dev.OrderBy(_ => random.Next()).Take(WindowSize).ToArray();
            var noLabels = Enumerable.Repeat(-1, WindowSize).ToArray();
            var a = DriftEvaluator.Evaluate(w, DateTimeOffset.UnixEpoch, heldOut, new WindowSample(fromRest, noLabels, null, null), PerformanceBaseline.None, policy);
            var b = DriftEvaluator.Evaluate(w, DateTimeOffset.UnixEpoch, train, new WindowSample(fromDev, noLabels, null, null), PerformanceBaseline.None, policy);
            var c = DriftEvaluator.Evaluate(w, DateTimeOffset.UnixEpoch, trainLiveScores, new WindowSample(fromRest, noLabels, null, null), PerformanceBaseline.None, policy);
            heldOutAlarms += a.DriftDetected ? 1 : 0;
            trainLiveAlarms += c.DriftDetected ? 1 : 0;
            trainAlarms += b.DriftDetected ? 1 : 0;
            trainInputAlarms += b.Breaches.Any(x => x.Type == AlertTypes.InputDrift) ? 1 : 0;
        }

        output.WriteLine($"held-out dev reference ({half} texts): {heldOutAlarms}/{Windows} windows raised drift ({100.0 * heldOutAlarms / Windows:F1}%)");
        output.WriteLine($"SST-2 train sentences reference ({train.Count} texts), scores from the train texts (Drift:ScoreReference=Reference): input drift in {trainInputAlarms}/{Windows} ({100.0 * trainInputAlarms / Windows:F1}%), any drift in {trainAlarms}/{Windows} ({100.0 * trainAlarms / Windows:F1}%)");
        output.WriteLine($"SST-2 train sentences reference, scores from {half} live predictions (the default): any drift in {trainLiveAlarms}/{Windows} ({100.0 * trainLiveAlarms / Windows:F1}%)");

        // Family-wise, BH at alpha 0.05 bounds the rate near 5%; the effect-size gate lowers it further.
        Assert.True(heldOutAlarms <= Windows * 0.05, $"{heldOutAlarms} false alarms in {Windows} held-out windows");
        Assert.True(trainInputAlarms <= Windows * 0.05, $"{trainInputAlarms} input false alarms in {Windows} windows against the train reference");
        Assert.True(trainLiveAlarms <= Windows * 0.05, $"{trainLiveAlarms} false alarms in {Windows} windows against the train reference with live scores");
    }
}
