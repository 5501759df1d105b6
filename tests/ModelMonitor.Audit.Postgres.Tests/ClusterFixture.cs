using ModelMonitor.Testing;

namespace ModelMonitor.Audit.Postgres.Tests;

/// <summary>One throwaway cluster for the test collection; each test creates its own database in it.</summary>
public sealed class ClusterFixture : IDisposable
{
    internal PostgresCluster Cluster { get; } = new();

    public void Dispose() => Cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SharedCluster : ICollectionFixture<ClusterFixture>
{
    public const string Name = "PostgreSQL cluster";
}
