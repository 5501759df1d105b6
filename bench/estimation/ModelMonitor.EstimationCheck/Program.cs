using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelMonitor.EstimationCheck;
using ModelMonitor.Inference.Classification;
using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Statistics.Calibration;

// estimation-check <model-dir> <sst2-dev-tsv> <output-md> [windows] [window-size]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ModelMonitor.EstimationCheck <model-dir> <sst2-dev-tsv> <output-md> [windows] [window-size]");
    return 2;
}

var windows = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1000;
var size = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 100;
var clock = Stopwatch.StartNew();
using var classifier = TextClassifier.Load(ModelFolder.Open(args[0]));
var all = LabelledSet.Classify(classifier, args[1]);
var labels = classifier.Model.Labels;
var (even, odd) = all.Halves();
var realizedAll = all.Predicted.Zip(all.Truth).Count(p => p.First == p.Second) / (double)all.Count;

var md = new StringBuilder();
var inv = CultureInfo.InvariantCulture;
void Line(string text) => md.AppendLine(text);
Line("# Estimated against realized performance: sst2-tiny on SST-2 dev");
Line(string.Empty);
Line(string.Create(inv, $"Model `{classifier.Model.Name}` (sha256 `{classifier.Model.Sha256[..12]}…`), SST-2 dev: {all.Count} sentences, realized accuracy {realizedAll:F4}."));
Line(string.Create(inv, $"Half A = even rows ({even.Count}), half B = odd rows ({odd.Count}). Each fold fits the estimator (calibration maps and NannyML sampling-error components) on one half and estimates the other, whose labels are then used only to check. Intervals are 95% (±1.96 standard errors). Random windows: {windows} windows of {size} sentences drawn from the other half (without replacement inside a window; windows overlap, so they are not independent)."));
Line(string.Empty);
Line("Command: `bench/estimation/run.sh` (arguments: " + string.Join(' ', args.Skip(3).DefaultIfEmpty("defaults")) + ").");

foreach (var variant in Variant.All)
{
    Line(string.Empty);
    Line("## " + variant.Name);
    Line(string.Empty);
    Line("| fitted on → estimated on | maps | ECE fitted half raw → calibrated (in-sample) | ECE other half raw → calibrated (held out) | accuracy: estimated [95% CI] / realized | macro F1: estimated [95% CI] / realized |");
    Line("| --- | --- | --- | --- | --- | --- |");
    var studies = new List<(string Fold, IReadOnlyList<WindowSummary> Summary)>();
    foreach (var (fitName, fit, testName, test) in new[] { ("A", even, "B", odd), ("B", odd, "A", even) })
    {
        var estimator = variant.Fit(labels, fit);
        var check = estimator.Check(test.Predicted, test.Probabilities, test.Truth);
        var (rawOther, calibratedOther) = HeldOutEce(estimator, test);
        var quality = estimator.State.Quality;
        var maps = string.Join("; ", estimator.State.Calibration.Maps.Select(m => m.Method switch
        {
            CalibrationMethod.Platt => string.Create(inv, $"platt A={m.Slope:F3} B={m.Intercept:F3}"),
            CalibrationMethod.Isotonic => string.Create(inv, $"isotonic, {m.Thresholds.Count} breakpoints"),
            _ => "identity",
        }));
        var eceFitted = variant.Uncalibrated ? string.Create(inv, $"{quality.EceBefore:F4} (not calibrated)") : string.Create(inv, $"{quality.EceBefore:F4} → {quality.EceAfter:F4}");
        Line(string.Create(inv, $"| {fitName} → {testName} | {maps} | {eceFitted} | {rawOther:F4} → {calibratedOther:F4} | {Metric(check.Accuracy)} | {Metric(check.F1Macro)} |"));
        studies.Add(($"{fitName} → {testName}", WindowStudy.Run(estimator, test, windows, size, seed: 17)));
    }

    Line(string.Empty);
    Line(string.Create(inv, $"Random windows of {size}:"));
    Line(string.Empty);
    Line("| fold | metric | mean absolute error | realized inside the 95% interval | mean interval width |");
    Line("| --- | --- | ---: | ---: | ---: |");
    foreach (var (fold, summary) in studies)
    {
        foreach (var s in summary)
        {
            Line(string.Create(inv, $"| {fold} | {s.Metric} | {s.MeanAbsoluteError:F4} | {s.Coverage:P1} | {s.MeanWidth:F4} |"));
        }
    }
}

// Shifted subsets of each other half, with the default estimator fitted on the first half.
Line(string.Empty);
Line("## Shifted subsets (default estimator)");
Line(string.Empty);
Line("Each row: the estimator fitted on one half, estimating a subset of the other half as one window. Longest and shortest quarter by token count; NEGATIVE-only selects on the true label (a label shift, which CBPE does not model); typos: in about a third of the words of four letters or more two inner letters swap (seeded), then the texts are classified again.");
Line(string.Empty);
Line("| fitted on → subset of | subset | n | accuracy: estimated [95% CI] / realized | macro F1: estimated [95% CI] / realized |");
Line("| --- | --- | ---: | --- | --- |");
foreach (var (fitName, fit, testName, test) in new[] { ("A", even, "B", odd), ("B", odd, "A", even) })
{
    var estimator = Variant.All[0].Fit(labels, fit);
    var typoRandom = new Random(29);
    var typed = LabelledSet.Classify(classifier, [.. test.Texts.Select(t => Typos.Apply(t, typoRandom))], test.Truth);
    foreach (var (name, subset) in new[] { ("longest quarter", test.Quarter(longest: true)), ("shortest quarter", test.Quarter(longest: false)), ("NEGATIVE only", test.WithTruth(0)), ("with typos", typed) })
    {
        var check = estimator.Check(subset.Predicted, subset.Probabilities, subset.Truth);
        Line(string.Create(inv, $"| {fitName} → {testName} | {name} | {subset.Count} | {Metric(check.Accuracy)} | {Metric(check.F1Macro)} |"));
    }
}

Line(string.Empty);
Line("## Saved state of the default estimator fitted on half A");
Line(string.Empty);
Line("```json");
Line(JsonSerializer.Serialize(Variant.All[0].Fit(labels, even).State, EstimationJsonContext.Default.PerformanceEstimatorState));
Line("```");

Line(string.Empty);
Line(string.Create(inv, $"Run time {clock.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores, .NET {Environment.Version}."));
File.WriteAllText(args[2], md.ToString());
Console.Write(md.ToString());
return 0;

static string Metric(ModelMonitor.Statistics.Estimation.MetricCheck c) =>
    string.Create(CultureInfo.InvariantCulture, $"{c.Estimated:F4} [{c.Low:F4}, {c.High:F4}] / {c.Realized:F4} {(c.WithinInterval ? "inside" : "**outside**")}");

static (double Raw, double Calibrated) HeldOutEce(PerformanceEstimator estimator, LabelledSet set)
{
    var raw = new double[set.Count];
    var calibrated = new double[set.Count];
    var right = new bool[set.Count];
    for (var i = 0; i < set.Count; i++)
    {
        raw[i] = set.Probabilities[i][set.Predicted[i]];
        calibrated[i] = estimator.Calibrate(set.Probabilities[i], set.Predicted[i])[set.Predicted[i]];
        right[i] = set.Predicted[i] == set.Truth[i];
    }

    return (ExpectedCalibrationError.EqualWidth(raw, right), ExpectedCalibrationError.EqualWidth(calibrated, right));
}
