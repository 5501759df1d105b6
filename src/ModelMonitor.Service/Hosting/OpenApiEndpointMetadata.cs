namespace ModelMonitor.Service.Hosting;

/// <summary>
/// What an endpoint that reads its body by hand, or answers in more than one shape, tells the OpenAPI
/// document: API Explorer sees neither a body parameter nor a second body for one status code.
/// </summary>
internal static class OpenApiEndpointMetadata
{
    /// <summary>
    /// The endpoint reads a JSON body described by the <see cref="OpenApiRequestSchemas"/> component
    /// <paramref name="schema"/>. Only documentation: unlike <c>Accepts</c>, it adds no content-type
    /// matching, so a wrong content type still reaches the endpoint and gets its own 415 body.
    /// </summary>
    public static TBuilder AcceptsJson<TBuilder>(this TBuilder builder, string schema, bool required = true)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new JsonRequestBody(schema, required));

    /// <summary>The endpoint may also answer <paramref name="statusCodes"/> with a <typeparamref name="TBody"/> in <c>application/json</c>.</summary>
    public static RouteHandlerBuilder AlsoProduces<TBody>(this RouteHandlerBuilder builder, params int[] statusCodes) =>
        builder.WithMetadata(new AlternativeResponse(typeof(TBody), statusCodes));
}

/// <summary>The request body's component schema in <see cref="OpenApiRequestSchemas"/>, and whether a body is required.</summary>
internal sealed record JsonRequestBody(string Schema, bool Required);

/// <summary>Another JSON body the endpoint answers with these status codes (beside, or instead of, the declared one).</summary>
internal sealed record AlternativeResponse(Type Body, IReadOnlyList<int> StatusCodes);
