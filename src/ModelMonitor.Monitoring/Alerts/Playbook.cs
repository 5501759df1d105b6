using ModelMonitor.Monitoring.Drift;

namespace ModelMonitor.Monitoring.Alerts;

/// <summary>
/// The recommended actions, as documented in docs/playbook.md (a test keeps the two in step):
/// one per diagnosis, so an alert and the report say what to do next.
/// </summary>
public static class Playbook
{
    public const string Retrain = "Retrain: the relation between texts and labels changed while the inputs look like the reference (concept drift). Label a recent sample, retrain or fine-tune on it, and compare the new model on the same window before switching.";

    public const string RetrainOnNewInputs = "Check upstream data, then retrain: the inputs moved and accuracy fell with them. Confirm the new traffic is legitimate, then add it, labelled, to the training data.";

    public const string InvestigateInputs = "Investigate the inputs: compare recent texts with the reference (length, unknown tokens, non-letter share, truncation) and find the new source, language or format before it costs accuracy. Collect feedback labels to measure the impact.";

    public const string CheckUpstream = "Check upstream data and the model version: the model's outputs moved while the inputs did not. Look for a changed model file, preprocessing or client; collect feedback labels to see whether accuracy moved too.";

    public const string PriorShift = "Check the traffic mix: the share of each true label moved while the model stays as accurate as its baseline (prior shift). Find out which users or sources changed; recalibrate thresholds that depend on class shares, and retrain only if accuracy on the new mix falls.";

    public const string Healthy = "No action: the window matches the reference.";

    public const string ConfirmEstimate = "Estimated accuracy or F1 (from the model's calibrated confidence, before labels) fell: send labels for recent predictions (POST /feedback) to confirm or refute it, and check the inputs for drift meanwhile.";

    public const string CollectFeedback = "Collect feedback labels (POST /feedback): without them accuracy and F1 cannot be judged, and concept drift stays invisible.";

    /// <summary>The action for a diagnosis (see <see cref="DriftEvaluation.Diagnosis"/>).</summary>
    public static string ForDiagnosis(string diagnosis) => diagnosis switch
    {
        "concept_drift" => Retrain,
        "data_drift_with_performance_drop" => RetrainOnNewInputs,
        "data_drift" => InvestigateInputs,
        "output_drift" => CheckUpstream,
        "prior_shift" => PriorShift,
        EstimatedDiagnosis => ConfirmEstimate,
        _ => Healthy,
    };

    /// <summary>The diagnosis of an evaluation whose only finding is an estimated performance drop.</summary>
    public const string EstimatedDiagnosis = "estimated_performance_drop";

    /// <summary>The action for an alert type in the context of the evaluation's diagnosis.</summary>
    public static string ForAlert(string type, string diagnosis) => type switch
    {
        AlertTypes.Performance => ForDiagnosis(diagnosis),
        AlertTypes.InputDrift => InvestigateInputs,
        AlertTypes.OutputDrift => diagnosis == "prior_shift" ? PriorShift : CheckUpstream,
        AlertTypes.PriorShift => PriorShift,
        _ => Healthy,
    };

    public static IReadOnlyList<string> All { get; } = [Retrain, RetrainOnNewInputs, InvestigateInputs, CheckUpstream, PriorShift, Healthy, CollectFeedback, ConfirmEstimate];
}
