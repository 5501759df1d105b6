namespace ModelMonitor.Service.Monitoring;

/// <summary>
/// Where the reference is: <c>disabled</c>, <c>loading</c> (a file being scored, with progress),
/// <c>collecting</c> (waiting for the first live predictions), <c>ready</c> or <c>failed</c> (with why).
/// </summary>
internal sealed record ReferenceStatus(string State, string Source, int Done, int Total, string? Message);
