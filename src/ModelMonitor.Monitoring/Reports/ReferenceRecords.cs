using System.Text.Json;
using ModelMonitor.Audit;
using ModelMonitor.Monitoring.Features;
using ModelMonitor.Monitoring.Reference;

namespace ModelMonitor.Monitoring.Reports;

/// <summary>
/// What a reference was made from, when no other replica (and no restart) could make it again from
/// configuration: the scored texts of a posted reference, the window of a re-baseline, the first
/// live predictions. <paramref name="Truth"/> holds a label index per text (-1: none) or is empty;
/// <paramref name="LastPredictionId"/> is the last live prediction it took, if any.
/// </summary>
public sealed record ReferenceInputs(IReadOnlyList<TextFeatureVector> Vectors, IReadOnlyList<int> Truth, string? LastPredictionId);

/// <summary>A <c>reference</c> record as read back. <see cref="Inputs"/> is null for a reference made from the configured file.</summary>
public sealed record ReferenceRecord(DateTimeOffset CreatedAt, string Source, int Count, string? ModelSha256, string? ConfiguredReference, ReferenceInputs? Inputs)
{
    /// <summary>Whether the same profile can be made again from this record alone.</summary>
    public bool Rebuildable => Inputs is { Vectors.Count: > 0 };

    /// <summary>The reference this record describes, made again exactly (the profile is a function of its inputs).</summary>
    public ReferenceProfile Rebuild(IReadOnlyList<string> labels, int bins, double groupCorrelation)
    {
        var inputs = Inputs ?? throw new InvalidOperationException("This reference was made from a file; score the file instead.");
        return ReferenceProfile.Create(Source, CreatedAt, inputs.Vectors, labels, inputs.Truth.ToArray(), bins, null, groupCorrelation);
    }
}

/// <summary>
/// The <c>reference</c> audit record: which reference became current, with what quality, under
/// which model and configured reference file, and, where configuration cannot make it again, its
/// inputs. Other replicas adopt a reference from it, and a restart keeps an admin's reference.
/// </summary>
public static class ReferenceRecords
{
    public static AuditEntry Write(ReferenceProfile profile, string modelSha256, string? configuredReference, ReferenceInputs? inputs)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new AuditEntry(MonitoringAuditRecords.ReferenceKind, profile.CreatedAt, null, json =>
        {
            json.WriteString("source", profile.Source);
            json.WriteNumber("count", profile.Count);
            if (profile.Performance is { } performance)
            {
                json.WriteNumber("accuracy", performance.Accuracy);
                json.WriteNumber("f1_macro", performance.F1Macro);
                json.WriteNumber("labelled", performance.Labelled);
            }

            if (profile.PhraseBank is { } bank)
            {
                json.WriteNumber("phrase_bank_rows", bank.Texts);
                json.WriteNumber("phrase_bank_subphrases", bank.Subphrases);
                json.WriteBoolean("phrase_bank_dropped", bank.Dropped);
            }

            json.WriteString("scores", profile.Scores switch { ScoreSource.Reference => "reference", ScoreSource.Live => "live (restored)", _ => "live (collecting)" });
            json.WriteString("model_sha256", modelSha256);
            if (configuredReference is not null)
            {
                json.WriteString("configured_reference", configuredReference);
            }

            if (inputs is not null)
            {
                WriteInputs(json, inputs);
            }
        });
    }

    public static ReferenceRecord Read(DateTimeOffset createdAt, JsonElement record)
    {
        string? Text(string name) => record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        ReferenceInputs? inputs = null;
        if (record.TryGetProperty("inputs", out var read) && read.ValueKind == JsonValueKind.Object)
        {
            inputs = new ReferenceInputs(
                [.. read.GetProperty("features").EnumerateArray().Select(MonitoringAuditRecords.ReadFeatureObject)],
                read.TryGetProperty("truth", out var truth) ? [.. truth.EnumerateArray().Select(t => t.GetInt32())] : [],
                read.TryGetProperty("last_prediction_id", out var last) && last.ValueKind == JsonValueKind.String ? last.GetString() : null);
        }

        var count = record.TryGetProperty("count", out var n) && n.TryGetInt32(out var parsed) ? parsed : 0;
        return new ReferenceRecord(createdAt, Text("source") ?? "", count, Text("model_sha256"), Text("configured_reference"), inputs);
    }

    private static void WriteInputs(Utf8JsonWriter json, ReferenceInputs inputs)
    {
        json.WriteStartObject("inputs");
        if (inputs.LastPredictionId is not null)
        {
            json.WriteString("last_prediction_id", inputs.LastPredictionId);
        }

        if (inputs.Truth.Any(t => t >= 0))
        {
            json.WriteStartArray("truth");
            foreach (var label in inputs.Truth)
            {
                json.WriteNumberValue(label);
            }

            json.WriteEndArray();
        }

        json.WriteStartArray("features");
        foreach (var vector in inputs.Vectors)
        {
            MonitoringAuditRecords.WriteFeatureObject(json, vector);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
