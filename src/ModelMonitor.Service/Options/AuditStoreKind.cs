namespace ModelMonitor.Service.Options;

/// <summary>Where the audit trail lives (Audit:Store).</summary>
public enum AuditStoreKind
{
    /// <summary>Hash-chained JSON Lines segments in Audit:Directory: one replica.</summary>
    File,

    /// <summary>Tables in the PostgreSQL database of ConnectionStrings:Audit: any number of replicas, one chain each.</summary>
    Postgres,
}
