using System.Globalization;
using ModelMonitor.Monitoring.Drift;
using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Performance.Estimation;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Statistics;
using ModelMonitor.Statistics.Calibration;
using ModelMonitor.Statistics.Drift;
using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>How the halvings and windows are drawn. Every default is the one the doc's table was measured with.</summary>
internal sealed record StudySettings
{
    /// <summary>Random halvings of SST-2 dev: each fits its own estimator on one half.</summary>
    public int Splits { get; init; } = 100;

    /// <summary>Windows drawn per split and condition from the other half.</summary>
    public int WindowsPerSplit { get; init; } = 5;

    public int WindowSize { get; init; } = 100;

    /// <summary>The size of the larger random windows, drawn from the whole other half only.</summary>
    public int LargeWindowSize { get; init; } = 200;

    public int Seed { get; init; } = 20260117;

    /// <summary>How the estimator is fitted on each calibration half.</summary>
    public EstimatorVariant Estimator { get; init; } = EstimatorVariant.Default;

    /// <summary>Whether the drift monitor judges every window too (the slow part).</summary>
    public bool JudgeDrift { get; init; } = true;
}

/// <summary>One way of fitting the estimator: the default, or a variant compared with it.</summary>
internal sealed record EstimatorVariant(string Name, EstimationOptions Options, bool Uncalibrated = false)
{
    public static EstimatorVariant Default { get; } = new("default", EstimationOptions.Default);

    /// <summary>Platt scaling kept whatever NannyML's held-out check says.</summary>
    public static EstimatorVariant PlattAlways { get; } = new(
        "Platt always (`RequireImprovement = false`)",
        new EstimationOptions { Calibration = new CalibrationOptions { RequireImprovement = false } });

    /// <summary>The raw probabilities, as if calibration were identity.</summary>
    public static EstimatorVariant NoCalibration { get; } = new("no calibration (raw probabilities)", EstimationOptions.Default, Uncalibrated: true);

    public PerformanceEstimator Fit(IReadOnlyList<string> labels, ScoredWindow labelled)
    {
        var fitted = PerformanceEstimator.Fit(labels, labelled.Probabilities, labelled.Predicted, labelled.Truth, Options);
        return Uncalibrated
            ? PerformanceEstimator.FromState(fitted.State with { Calibration = fitted.State.Calibration with { Maps = [CalibrationMap.Identity] } })
            : fitted;
    }
}

/// <summary>The conditions, by name.</summary>
internal static class Conditions
{
    public const string Random = "random windows";
    public const string RandomLarge = "larger random windows";
    public const string Longest = "longest quarter";
    public const string Shortest = "shortest quarter";
    public const string NegativeOnly = "NEGATIVE only";
    public const string Typos = "typos";
    public const string ConceptDrift = "concept drift";
    public const string Sharpened = "sharpened model";
    public const string Banking77 = "banking77";
}

/// <summary>
/// Calibrate on one half of SST-2 dev, estimate windows drawn from the other half under each
/// condition, and compare with the realized values. The dev set is halved at random
/// <see cref="StudySettings.Splits"/> times, so the error counts the calibration half's own luck
/// as well as the window's (a live window drawn from the population errs the same way), and a
/// quarter of one half (109 texts) is seen from many calibrations rather than one.
/// </summary>
internal sealed class ValidationStudy
{
    private readonly Dictionary<string, ConditionResult> byName;

    private ValidationStudy(StudySettings settings, ValidationCorpora corpora, IReadOnlyDictionary<string, int> methods, IReadOnlyList<ConditionResult> conditions)
    {
        Settings = settings;
        Corpora = corpora;
        CalibrationMethods = methods;
        All = conditions;
        byName = conditions.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public StudySettings Settings { get; }

    public ValidationCorpora Corpora { get; }

    /// <summary>How many halvings' estimators ended with each calibration method.</summary>
    public IReadOnlyDictionary<string, int> CalibrationMethods { get; }

    public IReadOnlyList<ConditionResult> All { get; }

    public ConditionResult this[string name] => byName[name];

    public static ValidationStudy Run(ValidationCorpora corpora, StudySettings settings)
    {
        var labels = corpora.Labels;
        var clean = corpora.Clean;
        var outcomes = new Dictionary<string, List<WindowOutcome>>(StringComparer.Ordinal);
        void Add(string condition, WindowOutcome outcome)
        {
            if (!outcomes.TryGetValue(condition, out var list))
            {
                outcomes[condition] = list = [];
            }

            list.Add(outcome);
        }

        var random = new Random(settings.Seed);
        var policy = new DriftPolicy();
        var methods = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = Enumerable.Range(0, clean.Count).ToArray();
        var banking = Enumerable.Range(0, corpora.Banking.Count).ToArray();
        for (var split = 0; split < settings.Splits; split++)
        {
            random.Shuffle(all);
            var fit = clean.Take(all[..(clean.Count / 2)]);
            var estimation = all[(clean.Count / 2)..];
            var estimator = settings.Estimator.Fit(labels, fit);
            var method = settings.Estimator.Uncalibrated ? "identity" : estimator.State.Quality.Maps[0].Method;
            methods[method] = methods.GetValueOrDefault(method) + 1;
            var judge = new Judge(
                estimator,
                ClassificationMetrics.Compute(fit.Truth, fit.Predicted, labels.Count),
                ReferenceProfile.Create("sst2-dev calibration half", DateTimeOffset.UnixEpoch, fit.Features, labels, fit.Truth, policy.Thresholds.Bins, null, policy.GroupCorrelation),
                settings.JudgeDrift ? policy : null);

            var quarter = estimation.Length / 4;
            var byLength = estimation.OrderBy(i => clean.Texts[i].Length).ThenBy(i => i).ToArray();
            var longest = byLength[^quarter..];
            var shortest = byLength[..quarter];
            var negative = estimation.Where(i => clean.Truth[i] == 0).ToArray();
            for (var w = 0; w < settings.WindowsPerSplit; w++)
            {
                // The same positions under three conditions: only the labels or the model differ.
                var window = Draw(estimation, settings.WindowSize, random);
                Add(Conditions.Random, judge.Window(clean.Take(window)));
                Add(Conditions.ConceptDrift, judge.Window(corpora.Flipped.Take(window)));
                Add(Conditions.Sharpened, judge.Window(corpora.Sharpened.Take(window)));
                Add(Conditions.RandomLarge, judge.Window(clean.Take(Draw(estimation, settings.LargeWindowSize, random))));
                Add(Conditions.Longest, judge.Window(clean.Take(Draw(longest, settings.WindowSize, random))));
                Add(Conditions.Shortest, judge.Window(clean.Take(Draw(shortest, settings.WindowSize, random))));
                Add(Conditions.NegativeOnly, judge.Window(clean.Take(Draw(negative, settings.WindowSize, random))));
                Add(Conditions.Typos, judge.Window(corpora.Typed.Take(Draw(estimation, settings.WindowSize, random))));
                Add(Conditions.Banking77, judge.Window(corpora.Banking.Take(Draw(banking, settings.WindowSize, random))));
            }
        }

        var c = corpora.Settings;
        string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        ConditionResult Result(string name, string description) => new(name, description, outcomes[name]);
        return new ValidationStudy(settings, corpora, methods,
        [
            Result(Conditions.Random, Invariant($"{settings.WindowSize} random texts of the other half")),
            Result(Conditions.RandomLarge, Invariant($"{settings.LargeWindowSize} random texts of the other half")),
            Result(Conditions.Longest, "from the other half's longest quarter by characters"),
            Result(Conditions.Shortest, "from the other half's shortest quarter by characters"),
            Result(Conditions.NegativeOnly, "texts whose true label is NEGATIVE (label shift)"),
            Result(Conditions.Typos, Invariant($"typos in {c.TypoShare * 100:F0}% of the words")),
            Result(Conditions.ConceptDrift, Invariant($"the random windows with {c.FlipShare * 100:F0}% of the labels flipped")),
            Result(Conditions.Sharpened, Invariant($"the random windows, logits divided by {c.Temperature} before the softmax")),
            Result(Conditions.Banking77, "banking queries, no true sentiment"),
        ]);
    }

    /// <summary><paramref name="size"/> distinct positions of <paramref name="pool"/>, by a partial Fisher–Yates shuffle of a copy.</summary>
    private static int[] Draw(int[] pool, int size, Random random)
    {
        if (pool.Length < size)
        {
            throw new InvalidOperationException($"A pool of {pool.Length} cannot give a window of {size}.");
        }

        var copy = (int[])pool.Clone();
        for (var i = 0; i < size; i++)
        {
            var j = random.Next(i, copy.Length);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy[..size];
    }

    /// <summary>One halving's estimator, its naive baseline and the drift monitor's reference, judging windows of the other half.</summary>
    private sealed record Judge(PerformanceEstimator Estimator, ClassificationReport Baseline, ReferenceProfile Reference, DriftPolicy? Policy)
    {
        /// <summary>The estimate of one window, its realized values when it has labels, and the drift monitor's verdict without them.</summary>
        public WindowOutcome Window(ScoredWindow window)
        {
            var estimate = Estimator.Estimate(window.Predicted, window.Probabilities);
            var unlabelled = new WindowSample(window.Features, [.. window.Truth.Select(_ => -1)], null, null);
            var drift = Policy is null ? null : DriftEvaluator.Evaluate(1, DateTimeOffset.UnixEpoch, Reference, unlabelled, PerformanceBaseline.None, Policy);
            string[] drifted = drift is null ? [] : [.. drift.Features.Where(f => f.Verdict == DriftVerdict.Drift).Select(f => f.Feature)];
            double? accuracy = null, f1 = null;
            if (window.Truth.All(t => t >= 0))
            {
                var check = RealizedComparison.Compare(estimate, window.Truth, window.Predicted);
                (accuracy, f1) = (check.Accuracy.Realized, check.F1Macro.Realized);
            }

            return new WindowOutcome(estimate.Accuracy, accuracy, Baseline.Accuracy, estimate.Macro.F1, f1, Baseline.Macro.F1, drift?.Severity ?? Severity.None, drift?.Diagnosis ?? "not judged", drifted);
        }
    }
}
