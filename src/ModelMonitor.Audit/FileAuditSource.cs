namespace ModelMonitor.Audit;

/// <summary>
/// The JSON Lines store of one directory as an <see cref="IAuditSource"/>: <see cref="AuditReader"/>,
/// <see cref="AuditVerifier"/>, and an <see cref="AuditIndex"/> made at the first lookup by id.
/// Thread-safe.
/// </summary>
public sealed class FileAuditSource(string directory) : IAuditSource, IDisposable
{
    private readonly Lazy<AuditIndex> index = new(() => new AuditIndex(directory), LazyThreadSafetyMode.ExecutionAndPublication);

    public string Directory => directory;

    public string Description => directory;

    public bool Exists => System.IO.Directory.Exists(directory);

    public AuditPage Query(AuditQuery query) => AuditReader.Query(directory, query);

    public AuditRecordView? Find(string id) => index.Value.Find(id);

    public bool Contains(string id, string kind) => index.Value.Contains(id, kind);

    public IEnumerable<AuditRecordView> Export(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string>? kinds = null) =>
        kinds is null ? AuditReader.Export(directory, since, until) : AuditReader.Export(directory, since, until, kinds);

    public IEnumerable<AuditLine> ExportLines(DateTimeOffset? since, DateTimeOffset? until, IReadOnlyCollection<string> kinds) =>
        AuditReader.ExportLines(directory, since, until, kinds);

    public VerificationResult Verify() => AuditVerifier.Verify(directory);

    public void Dispose()
    {
        if (index.IsValueCreated)
        {
            index.Value.Dispose();
        }
    }
}
