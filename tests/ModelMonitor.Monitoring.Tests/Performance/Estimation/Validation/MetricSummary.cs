using ModelMonitor.Statistics.Estimation;

namespace ModelMonitor.Monitoring.Tests.PerformanceEstimation.Validation;

/// <summary>Where a realized value lies against its interval.</summary>
internal enum Placement
{
    Inside,
    Below,
    Above,
}

/// <summary>One metric summarized over a condition's windows.</summary>
internal sealed record MetricSummary(double MeanEstimated, double? MeanRealized, double? MeanAbsoluteError, double? BaselineError, double? Inside, double? Below, double? Above, double MeanWidth)
{
    public static MetricSummary Of(IReadOnlyList<(MetricEstimate Estimate, double? Realized, double Baseline)> windows)
    {
        var meanEstimated = windows.Average(w => w.Estimate.Value);
        var meanWidth = windows.Average(w => w.Estimate.High - w.Estimate.Low);
        if (windows.Any(w => w.Realized is null))
        {
            return new MetricSummary(meanEstimated, null, null, null, null, null, null, meanWidth);
        }

        double Share(Placement placement) => windows.Count(w => Place(w.Estimate, w.Realized!.Value) == placement) / (double)windows.Count;
        return new MetricSummary(
            meanEstimated,
            windows.Average(w => w.Realized!.Value),
            windows.Average(w => Math.Abs(w.Realized!.Value - w.Estimate.Value)),
            windows.Average(w => Math.Abs(w.Realized!.Value - w.Baseline)),
            Share(Placement.Inside),
            Share(Placement.Below),
            Share(Placement.Above),
            meanWidth);
    }

    public static Placement Place(MetricEstimate estimate, double realized) =>
        realized < estimate.Low ? Placement.Below : realized > estimate.High ? Placement.Above : Placement.Inside;
}
