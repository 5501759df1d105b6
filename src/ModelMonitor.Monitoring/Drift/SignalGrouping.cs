namespace ModelMonitor.Monitoring.Drift;

/// <summary>The one source of the signal-grouping default (Drift:GroupCorrelation).</summary>
public static class SignalGrouping
{
    /// <summary>Numeric features whose |Spearman| or |Pearson| correlation on the reference reaches this are one signal.</summary>
    public const double DefaultCorrelation = 0.7;
}
