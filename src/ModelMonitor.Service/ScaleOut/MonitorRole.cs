using Microsoft.Extensions.Options;
using ModelMonitor.Audit.Postgres;
using ModelMonitor.Service.Options;

namespace ModelMonitor.Service.ScaleOut;

/// <summary>
/// Whether this replica leads the monitor (evaluates, alerts, mails). With the file store there is
/// one replica and it always leads. With the PostgreSQL store, <see cref="LeaderElectionService"/>
/// makes it lead while it holds the database's leader lock; <see cref="WaitForTenureAsync"/> gives
/// a leader a token that is cancelled when it stops leading.
/// </summary>
internal sealed class MonitorRole : IDisposable
{
    private readonly object sync = new();
    private TaskCompletionSource<CancellationToken> next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? tenure;

    public MonitorRole(IOptions<AuditOptions> audit)
    {
        var options = audit.Value;
        Shared = options.Enabled && options.Store == AuditStoreKind.Postgres;
        WriterId = options.EffectiveWriterId;
        if (!Shared)
        {
            Become(null);
        }
    }

    /// <summary>Whether replicas share the store (and elect a leader).</summary>
    public bool Shared { get; }

    public string WriterId { get; }

    public bool IsLeader
    {
        get
        {
            lock (sync)
            {
                return tenure is not null;
            }
        }
    }

    /// <summary>The leader's database session, for claiming evaluation numbers; null with the file store or while following.</summary>
    public LeaderSession? Session { get; private set; }

    /// <summary>Leadership starts (or already holds); the token is cancelled when it ends.</summary>
    public async Task<CancellationToken> WaitForTenureAsync(CancellationToken cancellationToken)
    {
        Task<CancellationToken> waiting;
        lock (sync)
        {
            waiting = next.Task;
        }

        return await waiting.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The next evaluation's sequence number: <paramref name="next"/> with the file store; with the
    /// database, the number this leader claimed (null: not leading, or the claim failed).
    /// </summary>
    public async Task<long?> ClaimSequenceAsync(long next, CancellationToken cancellationToken)
    {
        if (!Shared)
        {
            return next;
        }

        return Session is { } session && IsLeader ? await session.ClaimSequenceAsync(next, cancellationToken) : null;
    }

    public void Become(LeaderSession? session)
    {
        lock (sync)
        {
            if (tenure is not null)
            {
                return;
            }

            Session = session;
            tenure = new CancellationTokenSource();
            next.TrySetResult(tenure.Token);
        }
    }

    public void Lose()
    {
        CancellationTokenSource? ended;
        lock (sync)
        {
            ended = tenure;
            if (ended is null)
            {
                return;
            }

            tenure = null;
            Session = null;
            next = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        ended.Cancel();
        ended.Dispose();
    }

    public void Dispose()
    {
        lock (sync)
        {
            tenure?.Dispose();
            tenure = null;
        }
    }
}
