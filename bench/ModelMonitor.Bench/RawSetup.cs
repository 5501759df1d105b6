using System.Globalization;

namespace ModelMonitor.Bench;

/// <summary>
/// One way to run the raw runtime: <see cref="Workers"/> calls at a time, each with
/// <see cref="IntraOpThreads"/> threads of its own session pool, or all on ORT's one shared pool of
/// that many threads; spinning on or off; all texts sorted by length in batches of <see cref="BatchSize"/>.
/// </summary>
internal sealed record RawSetup(int Workers, int IntraOpThreads, bool AllowSpinning, int BatchSize, bool SharedPool)
{
    public override string ToString() => SharedPool
        ? string.Create(CultureInfo.InvariantCulture, $"{Workers} calls on one shared pool of {IntraOpThreads} threads, spinning {(AllowSpinning ? "on" : "off")}, batches of {BatchSize}")
        : string.Create(CultureInfo.InvariantCulture, $"{Workers} call(s) x {IntraOpThreads} thread(s), spinning {(AllowSpinning ? "on" : "off")}, batches of {BatchSize}");

    public string[] ToArguments() => [Workers.ToString(CultureInfo.InvariantCulture), IntraOpThreads.ToString(CultureInfo.InvariantCulture), AllowSpinning ? "spin" : "nospin", BatchSize.ToString(CultureInfo.InvariantCulture), SharedPool ? "shared" : "own"];

    public static RawSetup Parse(string[] a) => new(int.Parse(a[0], CultureInfo.InvariantCulture), int.Parse(a[1], CultureInfo.InvariantCulture), a[2] == "spin", int.Parse(a[3], CultureInfo.InvariantCulture), a[4] == "shared");

    /// <summary>
    /// The setups searched for <paramref name="threads"/> threads: every split of the threads into
    /// calls (w calls of threads / w each), the shared pool with 2 calls, spinning on and off, and
    /// batches of 8 to 64.
    /// </summary>
    public static IEnumerable<RawSetup> Grid(int threads)
    {
        int[] batchSizes = [8, 16, 32, 64];
        foreach (var spinning in new[] { false, true })
        {
            foreach (var batch in batchSizes)
            {
                for (var workers = 1; workers <= threads; workers *= 2)
                {
                    yield return new RawSetup(workers, threads / workers, spinning, batch, SharedPool: false);
                }

                if (threads > 1)
                {
                    yield return new RawSetup(2, threads, spinning, batch, SharedPool: true);
                }
            }
        }
    }
}
