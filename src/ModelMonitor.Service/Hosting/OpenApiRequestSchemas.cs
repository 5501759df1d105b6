using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using ModelMonitor.Service.Contracts;
using ModelMonitor.Service.Endpoints;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.Hosting;

/// <summary>
/// The JSON Schemas of the request bodies the endpoints read by hand (their parsers accept unions,
/// aliases and limits no C# type states). Each is a component of /openapi/v1.json; the endpoint names
/// it with <see cref="OpenApiEndpointMetadata.AcceptsJson{TBuilder}"/>. The limits are the configured
/// <see cref="PredictOptions"/>, so the document states what this instance accepts.
/// </summary>
internal static class OpenApiRequestSchemas
{
    public const string Predict = "PredictRequest";
    public const string PredictOrTextEmbeddingsInference = "PredictOrTextEmbeddingsInferenceRequest";
    public const string TextEmbeddingsInference = "TextEmbeddingsInferenceRequest";
    public const string InferenceEndpoints = "InferenceEndpointsRequest";
    public const string HuggingFaceInputs = "HuggingFaceInputs";
    public const string OpenInferenceInfer = "OpenInferenceInferRequest";
    public const string OpenInferenceInput = "OpenInferenceRequestInput";
    public const string OpenInferenceTextData = "OpenInferenceTextData";
    public const string Tokenize = "TokenizeRequest";
    public const string Feedback = "FeedbackRequest";
    public const string FeedbackItem = "FeedbackRequestItem";
    public const string Reference = "ReferenceRequest";

    /// <summary>Every request schema by component name; they refer to each other through <paramref name="document"/>.</summary>
    public static IReadOnlyDictionary<string, OpenApiSchema> All(OpenApiDocument document, PredictOptions limits)
    {
        var texts = TextArray(limits, "texts");
        return new Dictionary<string, OpenApiSchema>(StringComparer.Ordinal)
        {
            [Predict] = Object(
                "This service's /predict body.",
                new() { ["texts"] = texts },
                "texts"),
            [PredictOrTextEmbeddingsInference] = new OpenApiSchema
            {
                Description = "POST /predict takes this service's body or text-embeddings-inference's (with \"inputs\"); a body with both \"texts\" and \"inputs\", or neither, is a 400.",
                OneOf = [Ref(document, Predict), Ref(document, TextEmbeddingsInference)],
            },
            [HuggingFaceInputs] = new OpenApiSchema
            {
                Description = "One text, or a list of texts.",
                OneOf = [Text(limits, "A text."), TextArray(limits, "inputs")],
            },
            [TextEmbeddingsInference] = Object(
                "text-embeddings-inference's /predict body. A string answers a flat list of {label, score}; a list answers a list of such lists.",
                new()
                {
                    ["inputs"] = Ref(document, HuggingFaceInputs),
                    ["raw_scores"] = Flag("true: the logits instead of probabilities."),
                    ["truncate"] = Flag("true: an over-long text is cut to the model's sequence limit; false: it is a 413 naming the limit."),
                },
                "inputs"),
            [InferenceEndpoints] = Object(
                "Hugging Face Inference Endpoints' text-classification body (POST /). Over-long texts are cut.",
                new()
                {
                    ["inputs"] = Ref(document, HuggingFaceInputs),
                    ["parameters"] = Object(
                        "Optional scoring parameters.",
                        new()
                        {
                            ["top_k"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Minimum = "1", Description = "How many labels per text, highest score first; absent or null: all." },
                            ["function_to_apply"] = new OpenApiSchema
                            {
                                AnyOf = [new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["softmax", "sigmoid", "none"] }, new OpenApiSchema { Type = JsonSchemaType.Null }],
                                Default = "softmax",
                                Description = "softmax: probabilities; sigmoid: each logit through the logistic function; none: the logits. Absent or null: softmax.",
                            },
                        },
                        nullable: true),
                },
                "inputs"),
            [OpenInferenceInfer] = Object(
                "The Open Inference Protocol's inference request for this model: one BYTES tensor of texts.",
                new()
                {
                    ["id"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "Echoed in the response." },
                    ["parameters"] = Parameters(),
                    ["inputs"] = new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 1, MaxItems = 1, Items = Ref(document, OpenInferenceInput) },
                    ["outputs"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array | JsonSchemaType.Null,
                        Description = "The outputs to return; absent or null: all of them.",
                        Items = Object(
                            null,
                            new()
                            {
                                ["name"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [OpenInferenceModel.ProbabilitiesOutput, OpenInferenceModel.LabelOutput] },
                                ["parameters"] = Parameters(),
                            },
                            "name"),
                    },
                },
                "inputs"),
            [OpenInferenceInput] = Object(
                "The texts to classify. The data's element count equals the product of the shape.",
                new()
                {
                    ["name"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [OpenInferenceModel.TextInput] },
                    ["datatype"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["BYTES"] },
                    ["shape"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        MinItems = 1,
                        Items = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0", Maximum = limits.MaxTexts.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    },
                    ["parameters"] = Parameters(),
                    ["data"] = Ref(document, OpenInferenceTextData),
                },
                "name", "datatype", "shape", "data"),
            [OpenInferenceTextData] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = $"The texts, flat or nested (row-major); at most {limits.MaxTexts} texts in all.",
                Items = new OpenApiSchema { AnyOf = [Text(limits, "A text."), Ref(document, OpenInferenceTextData)] },
            },
            [Tokenize] = Object("The text to tokenize.", new() { ["text"] = Text(limits, "A text.") }, "text"),
            [FeedbackItem] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "A true label for a served prediction: its id (\"prediction_id\", or \"id\") and its label (\"label\", or \"true_label\").",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["prediction_id"] = PredictionId(),
                    ["id"] = PredictionId(),
                    ["label"] = Label(),
                    ["true_label"] = Label(),
                },
                AllOf = [EitherRequired("prediction_id", "id"), EitherRequired("label", "true_label")],
            },
            [Feedback] = new OpenApiSchema
            {
                Description = $"True labels, at most {FeedbackEndpoints.MaxItems} per request, in any of these shapes.",
                AnyOf =
                [
                    Object("The documented shape.", new() { ["feedback"] = Items(Ref(document, FeedbackItem)) }, "feedback"),
                    Items(Ref(document, FeedbackItem)),
                    Ref(document, FeedbackItem),
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "Two columns of the same length: the ids, and the labels (\"labels\", or \"true_labels\").",
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["prediction_ids"] = Items(PredictionId()),
                            ["labels"] = Items(Label()),
                            ["true_labels"] = Items(Label()),
                        },
                        Required = new HashSet<string>(["prediction_ids"], StringComparer.Ordinal),
                        AllOf = [EitherRequired("labels", "true_labels")],
                    },
                ],
            },
            [Reference] = Object(
                "Optional. \"source\" wins over \"texts\". Without either (or without a body): re-score the configured reference file (Drift:ReferencePath), or re-baseline on the live window when none is configured.",
                new()
                {
                    ["source"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["file", "window"], Description = "file: re-score the reference file; window: re-baseline on the live window." },
                    ["texts"] = new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 1, Items = new OpenApiSchema { Type = JsonSchemaType.String }, Description = "A new reference from these texts." },
                    ["labels"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Null }, Description = "Their true labels, one per text (a label or its index)." },
                }),
        };
    }

    private static OpenApiSchemaReference Ref(OpenApiDocument document, string name) => new(name, document);

    private static OpenApiSchema Object(string? description, Dictionary<string, IOpenApiSchema> properties, params string[] required) =>
        new()
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = properties,
            Required = required.Length == 0 ? null : new HashSet<string>(required, StringComparer.Ordinal),
        };

    private static OpenApiSchema Object(string? description, Dictionary<string, IOpenApiSchema> properties, bool nullable)
    {
        var schema = Object(description, properties);
        schema.Type = nullable ? JsonSchemaType.Object | JsonSchemaType.Null : JsonSchemaType.Object;
        return schema;
    }

    private static OpenApiSchema Text(PredictOptions limits, string description) =>
        new() { Type = JsonSchemaType.String, MaxLength = limits.MaxTextChars, Description = $"{description} At most {limits.MaxTextChars} characters (Predict:MaxTextChars)." };

    private static OpenApiSchema TextArray(PredictOptions limits, string field) =>
        new()
        {
            Type = JsonSchemaType.Array,
            MinItems = 1,
            MaxItems = limits.MaxTexts,
            Description = $"The texts to classify, at most {limits.MaxTexts} (Predict:MaxTexts); answered in this order.",
            Items = Text(limits, $"One of '{field}'."),
        };

    private static OpenApiSchema Flag(string description) =>
        new() { Type = JsonSchemaType.Boolean | JsonSchemaType.Null, Default = false, Description = description };

    private static OpenApiSchema Items(IOpenApiSchema item) =>
        new() { Type = JsonSchemaType.Array, MinItems = 1, MaxItems = FeedbackEndpoints.MaxItems, Items = item };

    private static OpenApiSchema PredictionId() =>
        new() { Type = JsonSchemaType.String, Pattern = "^[0-9a-fA-F]{32}$", Description = "A prediction's audit id, as /predict returned it." };

    /// <summary>At least one of two alias properties must be present.</summary>
    private static OpenApiSchema EitherRequired(string name, string alias) =>
        new() { AnyOf = [new OpenApiSchema { Required = new HashSet<string>([name], StringComparer.Ordinal) }, new OpenApiSchema { Required = new HashSet<string>([alias], StringComparer.Ordinal) }] };

    private static OpenApiSchema Label() =>
        new() { Type = JsonSchemaType.String | JsonSchemaType.Integer, Description = "One of the model's labels, or its index." };

    /// <summary>The protocol's free-form parameters; accepted and ignored.</summary>
    private static OpenApiSchema Parameters() =>
        new() { Type = JsonSchemaType.Object | JsonSchemaType.Null, Description = "Accepted and ignored." };
}
