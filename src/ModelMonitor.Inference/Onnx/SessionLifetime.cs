namespace ModelMonitor.Inference.Onnx;

/// <summary>
/// Counts the calls using a native session, so that disposing the session while calls run does
/// not free what they still read (the session, its name strings, the outputs it allocated). The
/// owner holds one reference; each call holds one from entry until its outputs are released. The
/// session is released when the owner has let go and the last call has finished.
/// </summary>
internal sealed class SessionLifetime(Action release)
{
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int references = 1;
    private int disposed;

    /// <summary>Calls holding the session now.</summary>
    public int Calls => Math.Max(0, Volatile.Read(ref references) - (Volatile.Read(ref disposed) == 0 ? 1 : 0));

    public bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>Completes once the native session has been released.</summary>
    public Task Released => released.Task;

    /// <summary>Takes a reference for one call; false once the owner has let go.</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var current = Volatile.Read(ref references);
            if (current == 0 || IsDisposed)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Gives a call's reference back; the last one out releases the session.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref references) == 0)
        {
            try
            {
                release();
            }
            finally
            {
                released.TrySetResult();
            }
        }
    }

    /// <summary>The owner lets go; returns how many calls still hold the session (it is released after them).</summary>
    public int Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return 0;
        }

        var remaining = Volatile.Read(ref references) - 1;
        Exit();
        return Math.Max(0, remaining);
    }
}
