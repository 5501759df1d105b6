using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ModelMonitor.Service.Hosting;

/// <summary>
/// The JSON options write NaN and infinities as "NaN", "Infinity" and "-Infinity", and the schema
/// generator describes such a number as <c>anyOf: [number, those names]</c> but also marks it
/// <c>type: object</c>, which no number satisfies. The type is dropped; a nullable number also allows null.
/// </summary>
internal sealed class NamedFloatingPointLiteralsTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } declared && declared.HasFlag(JsonSchemaType.Object) && schema.AnyOf?.Any(s => s.Type == JsonSchemaType.Number) == true)
        {
            schema.Type = null;
            if (Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null || declared.HasFlag(JsonSchemaType.Null))
            {
                schema.AnyOf.Add(new OpenApiSchema { Type = JsonSchemaType.Null });
            }
        }

        return Task.CompletedTask;
    }
}
