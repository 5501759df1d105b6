using System.Globalization;

namespace ModelMonitor.Monitoring.Reference;

/// <summary>Resolves a true label as written by a user or a dataset (a label name, any case, or an index) to the model's label index.</summary>
public static class LabelNames
{
    /// <summary>The label's index, or -1 when it is neither one of the model's label names nor a valid index.</summary>
    public static int Resolve(string label, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(labels);
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < labels.Count ? index : -1;
    }
}
