using ModelMonitor.Monitoring.Performance;
using ModelMonitor.Monitoring.Reference;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Monitoring;

/// <summary>Which accuracy and F1 performance is compared with.</summary>
internal static class BaselineResolver
{
    /// <summary>A configured baseline always wins; then the labelled baseline set; then the labelled reference.</summary>
    public static PerformanceBaseline Resolve(DriftOptions options, PerformanceSnapshot? baselineSet, ReferenceProfile? profile)
    {
        var configured = options.BaselineAccuracy is not null || options.BaselineF1 is not null
            ? new PerformanceBaseline(options.BaselineAccuracy, options.BaselineF1, PerformanceBaseline.Configured)
            : null;
        var set = baselineSet is { } held
            ? new PerformanceBaseline(held.Accuracy, held.F1Macro, PerformanceBaseline.BaselineSet) { Note = $"the model scored on {held.Labelled} labelled texts of {options.BaselinePath}" }
            : null;
        var fromReference = profile?.Performance is { } performance
            ? new PerformanceBaseline(performance.Accuracy, performance.F1Macro, PerformanceBaseline.FromReference)
            {
                Note = "the model scored on its own reference: inflated when the reference is training data (the model fits what it was trained on), so real drops look larger. Set Drift:BaselineAccuracy or Drift:BaselinePath (held-out labelled texts).",
            }
            : null;
        return options.BaselineSource switch
        {
            BaselineSource.Configured => configured ?? PerformanceBaseline.None,
            BaselineSource.Reference => fromReference ?? PerformanceBaseline.None,
            BaselineSource.BaselineSet => set ?? PerformanceBaseline.None,
            _ => configured ?? set ?? fromReference ?? PerformanceBaseline.None,
        };
    }
}
