namespace ModelMonitor.Statistics.Calibration;

/// <summary>
/// Platt scaling as scikit-learn's <c>_sigmoid_calibration</c> (<c>CalibratedClassifierCV(method="sigmoid")</c>):
/// P(outcome | score) = 1 / (1 + exp(A·score + B)), fitted by minimising the cross-entropy against
/// Platt's smoothed targets, (N₊ + 1) / (N₊ + 2) for a positive outcome and 1 / (N₋ + 2) for a
/// negative one, which keeps A and B finite even when the scores separate the outcomes perfectly.
/// scikit-learn minimises with BFGS and stops at a gradient norm of 1e-5; we solve the same
/// problem by Newton's method with a backtracking line search (Lin, Lin and Weng, 2007) until the
/// step no longer changes A and B, so we land on the optimum BFGS approaches.
/// </summary>
public static class PlattScaling
{
    private const int MaxIterations = 100;
    private const double MinimumStep = 1e-10;

    /// <summary>Fits A and B on scores and 0/1 outcomes (an outcome &gt; 0 counts as positive, as in scikit-learn).</summary>
    public static CalibrationMap Fit(ReadOnlySpan<double> scores, ReadOnlySpan<double> outcomes)
    {
        if (scores.Length != outcomes.Length)
        {
            throw new StatisticsInputException($"{scores.Length} scores but {outcomes.Length} outcomes.");
        }

        SampleGuard.RequireFinite(scores, "score", "calibration");
        SampleGuard.RequireFinite(outcomes, "outcome", "calibration");

        var n = scores.Length;
        double prior0 = 0;
        foreach (var outcome in outcomes)
        {
            prior0 += outcome <= 0 ? 1 : 0;
        }

        var prior1 = n - prior0;
        var hiTarget = (prior1 + 1.0) / (prior1 + 2.0);
        var loTarget = 1.0 / (prior0 + 2.0);
        var targets = new double[n];
        for (var i = 0; i < n; i++)
        {
            targets[i] = outcomes[i] > 0 ? hiTarget : loTarget;
        }

        var f = scores.ToArray();
        var a = 0.0;
        var b = Math.Log((prior0 + 1.0) / (prior1 + 1.0));
        if (IsConstant(f))
        {
            // Only A·score + B matters and the loss is least where P equals the mean target: A = 0.
            var meanTarget = ((prior1 * hiTarget) + (prior0 * loTarget)) / n;
            return new CalibrationMap { Method = CalibrationMethod.Platt, Slope = 0, Intercept = Math.Log((1 - meanTarget) / meanTarget), SampleCount = n };
        }

        var value = Objective(f, targets, a, b);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            // Gradient and Hessian of the objective in (A, B).
            double h11 = 0, h22 = 0, h21 = 0, g1 = 0, g2 = 0;
            for (var i = 0; i < n; i++)
            {
                var (p, q) = Probabilities((f[i] * a) + b);
                var d2 = p * q;
                h11 += f[i] * f[i] * d2;
                h22 += d2;
                h21 += f[i] * d2;
                var d1 = targets[i] - p;
                g1 += f[i] * d1;
                g2 += d1;
            }

            var determinant = (h11 * h22) - (h21 * h21);
            if (!(determinant > 0))
            {
                break; // the scores barely vary: the curvature in A is lost to rounding
            }

            var da = -((h22 * g1) - (h21 * g2)) / determinant;
            var db = -((-h21 * g1) + (h11 * g2)) / determinant;
            var descent = (g1 * da) + (g2 * db);

            // Armijo backtracking, with a slack of the objective's own rounding error: near the
            // optimum the loss can no longer tell steps apart, and the full Newton step (quadratic
            // convergence on the gradient) must still be taken.
            var slack = 1e-14 * Math.Max(1, Math.Abs(value));
            var step = 1.0;
            var accepted = false;
            while (step >= MinimumStep)
            {
                var newA = a + (step * da);
                var newB = b + (step * db);
                var newValue = Objective(f, targets, newA, newB);
                if (newValue <= value + (1e-4 * step * descent) + slack)
                {
                    (a, b, value) = (newA, newB, newValue);
                    accepted = true;
                    break;
                }

                step /= 2;
            }

            if (!accepted)
            {
                break; // no step lowers the loss: at the optimum to within rounding
            }

            if (Math.Abs(step * da) <= 1e-15 * Math.Max(1, Math.Abs(a)) && Math.Abs(step * db) <= 1e-15 * Math.Max(1, Math.Abs(b)))
            {
                break; // the step no longer moves A or B
            }
        }

        return new CalibrationMap { Method = CalibrationMethod.Platt, Slope = a, Intercept = b, SampleCount = n };
    }

    /// <summary>1 / (1 + exp(A·score + B)), as SciPy's <c>expit(-(A·score + B))</c>.</summary>
    public static double Sigmoid(double slope, double intercept, double score) => 1.0 / (1.0 + Math.Exp((slope * score) + intercept));

    private static bool IsConstant(double[] values)
    {
        foreach (var value in values)
        {
            if (value != values[0])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The cross-entropy against the smoothed targets, in a form that never overflows.</summary>
    private static double Objective(double[] f, double[] targets, double a, double b)
    {
        var total = 0.0;
        for (var i = 0; i < f.Length; i++)
        {
            var z = (f[i] * a) + b;
            total += z >= 0
                ? (targets[i] * z) + Math.Log(1 + Math.Exp(-z))
                : ((targets[i] - 1) * z) + Math.Log(1 + Math.Exp(z));
        }

        return total;
    }

    /// <summary>(P, 1 − P) for P = 1 / (1 + exp(z)), each computed without cancellation.</summary>
    private static (double P, double Q) Probabilities(double z)
    {
        if (z >= 0)
        {
            var e = Math.Exp(-z);
            return (e / (1 + e), 1 / (1 + e));
        }

        var ez = Math.Exp(z);
        return (1 / (1 + ez), ez / (1 + ez));
    }
}
