namespace ModelMonitor.Statistics.Drift;

/// <summary>
/// When a feature counts as drifted. Both must hold: the corrected p-value is below
/// <see cref="Alpha"/> (the change is real), and an effect size reaches its threshold (the change
/// matters), so a huge window does not raise an alarm over trivia.
/// </summary>
public sealed record DriftThresholds
{
    /// <summary>Significance level for the corrected p-value.</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>How the family of per-feature p-values is corrected.</summary>
    public Correction Correction { get; init; } = Correction.BenjaminiHochberg;

    /// <summary>PSI at or above this is a warning.</summary>
    public double PsiWarning { get; init; } = 0.1;

    /// <summary>PSI at or above this is drift.</summary>
    public double PsiDrift { get; init; } = 0.25;

    /// <summary>Wasserstein distance over the reference standard deviation, at or above which a numeric feature drifts.</summary>
    public double NormedWasserstein { get; init; } = 0.1;

    /// <summary>Jensen-Shannon distance (base 2) at or above which a feature drifts.</summary>
    public double JensenShannon { get; init; } = 0.1;

    /// <summary>Reference-quantile bins for numeric PSI and Jensen-Shannon.</summary>
    public int Bins { get; init; } = PopulationStability.DefaultBins;

    /// <summary>Proportion used for an empty bin in PSI.</summary>
    public double PsiEpsilon { get; init; } = PopulationStability.DefaultEpsilon;

    public void Validate()
    {
        if (!(Alpha is > 0 and < 1))
        {
            throw new StatisticsInputException($"Alpha must lie strictly between 0 and 1; got {Alpha}.");
        }

        if (!(PsiWarning > 0 && PsiDrift >= PsiWarning && NormedWasserstein > 0 && JensenShannon > 0))
        {
            throw new StatisticsInputException("Effect-size thresholds must be positive, and the PSI drift threshold at least the warning one.");
        }

        if (Bins < 2 || !(PsiEpsilon > 0))
        {
            throw new StatisticsInputException("Bins must be at least 2 and the PSI epsilon positive.");
        }
    }
}
