namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// Fits the calibration map of a score against a yes/no outcome (the winning label's probability
/// against "the prediction was right", or one label's probability against "this is the true label").
/// </summary>
/// <remarks>
/// The rule, in order:
/// 1. one outcome only (every prediction right, or every one wrong): identity, nothing to learn;
/// 2. the scores already separate the outcomes (ROC AUC above 0.999, NannyML's cut-off): identity;
/// 3. with <see cref="CalibrationOptions.RequireImprovement"/> (NannyML's <c>needs_calibration</c>):
///    fit on each validation split's training side, apply to its test side, pool the test sides;
///    identity unless the pooled test scores' Brier score is lower calibrated than raw (also identity
///    when an outcome has fewer than 2 predictions to split). NannyML compares binned calibration
///    error here; on a few hundred labelled texts that comparison is noise (10 bins of about 44) and
///    dropped a helpful Platt map in 3-10% of SST-2 calibration sets, leaving raw probabilities 0.08
///    too high. The Brier score, a proper scoring rule over every prediction, does not. The binned
///    errors are still reported;
/// 4. otherwise Platt below <see cref="CalibrationOptions.IsotonicMinimumSamples"/> labelled scores
///    and isotonic regression from there on (or the method forced by the options), fitted on all.
/// </remarks>
public static class CalibrationFitter
{
    /// <summary>NannyML's cut-off: above this ROC AUC the scores are left as they are.</summary>
    public const double SeparatedAuc = 0.999;

    public static CalibrationFit Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes, CalibrationOptions? options = null)
    {
        options ??= CalibrationOptions.Default;
        options.Validate();
        var before = ExpectedCalibrationError.EqualWidth(scores, outcomes, options.EceBins);
        var method = options.Method switch
        {
            CalibrationChoice.Isotonic => CalibrationMethod.Isotonic,
            CalibrationChoice.Platt => CalibrationMethod.Platt,
            _ => scores.Length >= options.IsotonicMinimumSamples ? CalibrationMethod.Isotonic : CalibrationMethod.Platt,
        };

        var positives = 0;
        foreach (var outcome in outcomes)
        {
            positives += outcome ? 1 : 0;
        }

        var negatives = outcomes.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return Identity("every outcome is the same, so there is nothing to calibrate against", scores.Length, before);
        }

        var auc = RocAuc.Compute(scores, outcomes);
        if (auc > SeparatedAuc)
        {
            return Identity($"the scores already separate the outcomes (ROC AUC {auc:F4} > {SeparatedAuc})", scores.Length, before);
        }

        double? heldOutBefore = null, heldOutAfter = null, heldOutBrierBefore = null, heldOutBrierAfter = null;
        if (options.RequireImprovement)
        {
            if (Math.Min(positives, negatives) < 2)
            {
                return Identity("an outcome occurs only once, too rarely to check that calibration helps", scores.Length, before);
            }

            (heldOutBefore, heldOutAfter, var brierBefore, var brierAfter) = HeldOut(scores, outcomes, method, options);
            (heldOutBrierBefore, heldOutBrierAfter) = (brierBefore, brierAfter);
            if (!(brierAfter < brierBefore))
            {
                return Identity(FormattableString.Invariant($"{method} calibration did not lower the held-out Brier score ({brierBefore:F4} raw, {brierAfter:F4} calibrated)"), scores.Length, before) with
                {
                    HeldOutEceBefore = heldOutBefore,
                    HeldOutEceAfter = heldOutAfter,
                    HeldOutBrierBefore = brierBefore,
                    HeldOutBrierAfter = brierAfter,
                };
            }
        }

        var map = FitMethod(method, scores, outcomes);
        var calibrated = new double[scores.Length];
        for (var i = 0; i < calibrated.Length; i++)
        {
            calibrated[i] = map.Apply(scores[i]);
        }

        var reason = method == CalibrationMethod.Isotonic
            ? FormattableString.Invariant($"isotonic: {scores.Length} labelled scores, at least {options.IsotonicMinimumSamples}")
            : FormattableString.Invariant($"platt: {scores.Length} labelled scores, fewer than {options.IsotonicMinimumSamples}");
        if (options.Method != CalibrationChoice.Auto)
        {
            reason = FormattableString.Invariant($"{method.ToString().ToLowerInvariant()}: chosen in the options");
        }

        return new CalibrationFit(map, reason, scores.Length, before, ExpectedCalibrationError.EqualWidth(calibrated, outcomes, options.EceBins), heldOutBefore, heldOutAfter)
        {
            HeldOutBrierBefore = heldOutBrierBefore,
            HeldOutBrierAfter = heldOutBrierAfter,
        };
    }

    /// <summary>Fits one method on all the scores given.</summary>
    public static CalibrationMap FitMethod(CalibrationMethod method, ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes)
    {
        var targets = new double[outcomes.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = outcomes[i] ? 1 : 0;
        }

        return method switch
        {
            CalibrationMethod.Isotonic => IsotonicRegression.Fit(scores, targets),
            CalibrationMethod.Platt => PlattScaling.Fit(scores, targets),
            CalibrationMethod.Identity => CalibrationMap.Identity,
            _ => throw new StatisticsInputException($"Unknown calibration method {method}."),
        };
    }

    private static CalibrationFit Identity(string reason, long count, double before) =>
        new(CalibrationMap.Identity, "identity: " + reason, count, before, before, null, null);

    /// <summary>NannyML's check: equal-count calibration error of the pooled test sides, raw and calibrated.</summary>
    private static (double EceBefore, double EceAfter, double BrierBefore, double BrierAfter) HeldOut(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes, CalibrationMethod method, CalibrationOptions options)
    {
        var pooledScores = new List<double>();
        var pooledCalibrated = new List<double>();
        var pooledOutcomes = new List<bool>();
        foreach (var (train, test) in StratifiedSplits.Create(outcomes, options.ValidationSplits, options.ValidationFraction, options.ValidationSeed))
        {
            var trainScores = new double[train.Length];
            var trainOutcomes = new bool[train.Length];
            for (var i = 0; i < train.Length; i++)
            {
                trainScores[i] = scores[train[i]];
                trainOutcomes[i] = outcomes[train[i]];
            }

            var map = FitMethod(method, trainScores, trainOutcomes);
            foreach (var index in test)
            {
                pooledScores.Add(scores[index]);
                pooledCalibrated.Add(map.Apply(scores[index]));
                pooledOutcomes.Add(outcomes[index]);
            }
        }

        var pooledOutcomeArray = pooledOutcomes.ToArray();
        return (
            ExpectedCalibrationError.EqualCount([.. pooledScores], pooledOutcomeArray, options.EceBins),
            ExpectedCalibrationError.EqualCount([.. pooledCalibrated], pooledOutcomeArray, options.EceBins),
            Brier(pooledScores, pooledOutcomeArray),
            Brier(pooledCalibrated, pooledOutcomeArray));
    }

    /// <summary>Mean squared difference between probability and outcome.</summary>
    private static double Brier(List<double> probabilities, bool[] outcomes)
    {
        var sum = 0.0;
        for (var i = 0; i < outcomes.Length; i++)
        {
            var error = probabilities[i] - (outcomes[i] ? 1 : 0);
            sum += error * error;
        }

        return sum / outcomes.Length;
    }
}
