using ModelMonitor.Inference.Classification;
using ModelMonitor.Testing;
using Xunit.Abstractions;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>
/// Issue #17's validation on the real model: the estimator is calibrated on one half of SST-2 dev
/// and estimates windows of the other half, clean and shifted, and its estimates are compared with
/// the realized accuracy and macro F1. Each test asserts what holds for one condition: the issue's
/// aim where it is met, and the direction of the failure where the method cannot work. The table in
/// docs/estimation.md is this study's output, printed by the first test. (It is not compared
/// byte for byte: another CPU's ONNX Runtime kernels may move a rounded digit.)
/// </summary>
public sealed class EstimationValidationTests(EstimationValidationTests.Measured measured, ITestOutputHelper output) : IClassFixture<EstimationValidationTests.Measured>
{
    /// <summary>The model run once over every corpus; the default study and its two variants over the same halvings and windows.</summary>
    public sealed class Measured
    {
        public Measured()
        {
            using (var classifier = TextClassifier.Load(ModelFolder.Open(TestPaths.Sst2TinyModel)))
            {
                Corpora = ValidationCorpora.Score(classifier, new CorpusSettings());
            }

            Default = ValidationStudy.Run(Corpora, new StudySettings());
            PlattAlways = ValidationStudy.Run(Corpora, new StudySettings { Estimator = EstimatorVariant.PlattAlways, JudgeDrift = false });
            Uncalibrated = ValidationStudy.Run(Corpora, new StudySettings { Estimator = EstimatorVariant.NoCalibration, JudgeDrift = false });
            Table = ValidationTable.Markdown(Default, [Default, PlattAlways, Uncalibrated]);
        }

        internal ValidationCorpora Corpora { get; }

        internal ValidationStudy Default { get; }

        internal ValidationStudy PlattAlways { get; }

        internal ValidationStudy Uncalibrated { get; }

        internal string Table { get; }
    }

    private ConditionResult Random => measured.Default[Conditions.Random];

    [Fact]
    public void Random_windows_of_200_meet_the_aim_when_the_calibration_map_is_kept()
    {
        // The whole table of docs/estimation.md, in the detailed test output.
        output.WriteLine(measured.Table);
        var windows = measured.PlattAlways[Conditions.RandomLarge];

        Assert.True(windows.Accuracy.MeanAbsoluteError <= 0.03, $"mean absolute error {windows.Accuracy.MeanAbsoluteError:F4}");
        Assert.True(windows.Accuracy.Inside >= 0.90, $"realized inside the interval in {windows.Accuracy.Inside:P1}");
    }

    [Fact]
    public void Random_windows_of_200_meet_the_aim_with_the_default_estimator()
    {
        var windows = measured.Default[Conditions.RandomLarge];

        Assert.True(windows.Accuracy.MeanAbsoluteError <= 0.03, $"mean absolute error {windows.Accuracy.MeanAbsoluteError:F4}");
        Assert.True(windows.Accuracy.Inside >= 0.90, $"realized inside the interval in {windows.Accuracy.Inside:P1}");
    }

    [Fact]
    public void Random_windows_of_100_err_within_a_point_of_the_sampling_floor_when_the_calibration_map_is_kept()
    {
        var windows = measured.PlattAlways[Conditions.Random];
        var floor = windows.FloorError(measured.Corpora.Clean.Accuracy);

        Assert.True(windows.Accuracy.MeanAbsoluteError <= floor + 0.01, $"mean absolute error {windows.Accuracy.MeanAbsoluteError:F4}, floor {floor:F4}");
        Assert.True(windows.Accuracy.Inside >= 0.90, $"accuracy inside the interval in {windows.Accuracy.Inside:P1}");
        Assert.True(windows.F1Macro.Inside >= 0.90, $"macro F1 inside the interval in {windows.F1Macro.Inside:P1}");
    }

    [Fact]
    public void The_default_estimator_errs_under_five_points_on_random_windows_of_100_and_covers_most_of_them()
    {
        // Short of the aim: in some halvings the held-out check drops the map, and those estimates are too high (see the next test).
        Assert.True(Random.Accuracy.MeanAbsoluteError <= 0.045, $"mean absolute error {Random.Accuracy.MeanAbsoluteError:F4}");
        Assert.True(Random.Accuracy.Inside >= 0.85, $"realized inside the interval in {Random.Accuracy.Inside:P1}");
        Assert.True(Random.F1Macro.MeanAbsoluteError <= 0.045, $"macro F1 mean absolute error {Random.F1Macro.MeanAbsoluteError:F4}");
    }

    [Fact]
    public void Without_calibration_the_overconfident_models_estimate_is_too_high()
    {
        var windows = measured.Uncalibrated[Conditions.Random];

        Assert.True(windows.Accuracy.MeanEstimated - windows.Accuracy.MeanRealized >= 0.05, $"estimated {windows.Accuracy.MeanEstimated:F4}, realized {windows.Accuracy.MeanRealized:F4}");
        Assert.True(windows.Accuracy.Inside < 0.6, $"realized inside the interval in {windows.Accuracy.Inside:P1}");
        Assert.Equal(0.0, windows.Accuracy.Above);
    }

    [Fact]
    public void The_longest_quarter_is_estimated_about_as_well_as_random_windows()
    {
        var windows = measured.Default[Conditions.Longest];

        Assert.InRange(windows.Accuracy.MeanEstimated - windows.Accuracy.MeanRealized!.Value, -0.02, 0.02);
        Assert.True(windows.Accuracy.MeanAbsoluteError <= Random.Accuracy.MeanAbsoluteError + 0.01, $"error {windows.Accuracy.MeanAbsoluteError:F4}, random windows {Random.Accuracy.MeanAbsoluteError:F4}");
    }

    [Fact]
    public void The_shortest_quarters_higher_accuracy_is_seen_but_underestimated()
    {
        var windows = measured.Default[Conditions.Shortest];
        var naive = windows.Windows.Average(w => w.BaselineAccuracy);

        Assert.InRange(windows.Accuracy.MeanEstimated, naive, windows.Accuracy.MeanRealized!.Value);
        Assert.True(windows.Accuracy.MeanAbsoluteError < windows.Accuracy.BaselineError, $"error {windows.Accuracy.MeanAbsoluteError:F4}, naive {windows.Accuracy.BaselineError:F4}");
        Assert.True(windows.Accuracy.Above > windows.Accuracy.Below, $"above {windows.Accuracy.Above:P1}, below {windows.Accuracy.Below:P1}");
    }

    [Fact]
    public void Negative_only_windows_get_a_fair_accuracy_estimate_but_their_macro_f1_is_overestimated_in_every_window()
    {
        var windows = measured.Default[Conditions.NegativeOnly];

        Assert.InRange(windows.Accuracy.MeanEstimated - windows.Accuracy.MeanRealized!.Value, -0.02, 0.02);
        Assert.True(windows.Accuracy.Inside >= 0.85, $"accuracy inside the interval in {windows.Accuracy.Inside:P1}");

        // No POSITIVE in the truth: its F1 is 0 in the realized macro mean, which no estimate from the inputs foresees.
        Assert.Equal(1.0, windows.F1Macro.Below);
    }

    [Fact]
    public void Typos_lower_the_estimate_less_than_the_realized_accuracy_and_the_drift_monitor_flags_them()
    {
        var windows = measured.Default[Conditions.Typos];

        Assert.True(windows.Accuracy.MeanEstimated < Random.Accuracy.MeanEstimated, $"estimated {windows.Accuracy.MeanEstimated:F4} with typos, {Random.Accuracy.MeanEstimated:F4} without");
        Assert.True(windows.Accuracy.MeanRealized < windows.Accuracy.MeanEstimated - 0.03, $"estimated {windows.Accuracy.MeanEstimated:F4}, realized {windows.Accuracy.MeanRealized:F4}");
        Assert.True(windows.Accuracy.Above <= 0.01, $"realized above the interval in {windows.Accuracy.Above:P1}");
        Assert.True(windows.Accuracy.Below >= 0.15, $"realized below the interval in {windows.Accuracy.Below:P1}");
        Assert.True(windows.DriftFlagged >= 0.95, $"drift flagged in {windows.DriftFlagged:P1}");
    }

    [Fact]
    public void Concept_drift_leaves_the_estimate_unchanged_while_the_realized_accuracy_falls_below_the_interval()
    {
        var drifted = measured.Default[Conditions.ConceptDrift];

        Assert.Equal(Random.Windows.Select(w => w.Accuracy), drifted.Windows.Select(w => w.Accuracy));
        Assert.Equal(Random.Windows.Select(w => w.F1Macro), drifted.Windows.Select(w => w.F1Macro));
        Assert.True(drifted.Accuracy.MeanRealized < Random.Accuracy.MeanRealized - 0.1, $"realized {drifted.Accuracy.MeanRealized:F4}, {Random.Accuracy.MeanRealized:F4} before the flips");
        Assert.True(drifted.Accuracy.Below >= 0.75, $"realized below the interval in {drifted.Accuracy.Below:P1}");

        // Same inputs, same outputs: the drift monitor cannot see it either.
        Assert.Equal(Random.Windows.Select(w => w.Drift), drifted.Windows.Select(w => w.Drift));
    }

    [Fact]
    public void A_sharpened_model_is_estimated_over_confidently_and_its_outputs_drift()
    {
        var sharpened = measured.Default[Conditions.Sharpened];
        var pairs = Random.Windows.Zip(sharpened.Windows).ToArray();

        Assert.All(pairs, p => Assert.Equal(p.First.RealizedAccuracy, p.Second.RealizedAccuracy));
        Assert.All(pairs, p => Assert.True(p.Second.Accuracy.Value > p.First.Accuracy.Value));
        Assert.True(sharpened.Accuracy.MeanEstimated - sharpened.Accuracy.MeanRealized >= 0.03, $"estimated {sharpened.Accuracy.MeanEstimated:F4}, realized {sharpened.Accuracy.MeanRealized:F4}");
        Assert.True(sharpened.Accuracy.Inside < Random.Accuracy.Inside, $"inside {sharpened.Accuracy.Inside:P1}, {Random.Accuracy.Inside:P1} before");
        Assert.True(sharpened.Diagnoses.Single(d => d.Diagnosis == "output_drift").Share >= 0.9);
    }

    [Fact]
    public void Banking77_gets_an_in_domain_looking_estimate_while_the_drift_monitor_flags_every_window()
    {
        var banking = measured.Default[Conditions.Banking77];

        // Nothing in the estimate warns: it looks like that of SST-2 windows (and the accuracy
        // interval's width depends on the window size only).
        Assert.InRange(banking.Accuracy.MeanEstimated - Random.Accuracy.MeanEstimated, -0.03, 0.03);
        Assert.Null(banking.Accuracy.MeanRealized);

        Assert.Equal(1.0, banking.DriftFlagged);
        Assert.Equal("data_drift", Assert.Single(banking.Diagnoses).Diagnosis);
    }
}
