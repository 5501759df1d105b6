using System.Runtime.CompilerServices;

namespace ModelMonitor.Service.Auditing;

/// <summary>
/// Whether an exception is the PostgreSQL store's. Each test is a method of its own, never inlined,
/// so the code that catches these (the monitor's restore, the leader election, the replica tail)
/// does not load System.Data.Common and Npgsql when it is compiled: a service on the file store
/// never loads them (about 2 MB resident).
/// </summary>
internal static class StoreFailures
{
    /// <summary>A database's exception (<see cref="System.Data.Common.DbException"/>, which Npgsql's derive from).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsDatabase(Exception exception) => exception is System.Data.Common.DbException;

    /// <summary>Npgsql's exception: the connection or a command failed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool IsNpgsql(Exception exception) => exception is Npgsql.NpgsqlException;
}
