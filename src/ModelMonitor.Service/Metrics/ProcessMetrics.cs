using System.Diagnostics;

namespace ModelMonitor.Service.Metrics;

/// <summary>
/// Process and runtime metrics under the names Prometheus client libraries use (<c>process_*</c>),
/// so standard dashboards and alerts work, plus the .NET garbage collector and thread pool.
/// </summary>
internal static class ProcessMetrics
{
    public static IEnumerable<MetricFamily> Collect()
    {
        using var process = Process.GetCurrentProcess();
        yield return Gauge("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter", process.TotalProcessorTime.TotalSeconds);
        yield return Gauge("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge", process.WorkingSet64);
        yield return Gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", process.VirtualMemorySize64);
        yield return Gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        yield return Gauge("process_num_threads", "Number of OS threads in the process.", "gauge", process.Threads.Count);
        if (Directory.Exists("/proc/self/fd"))
        {
            yield return Gauge("process_open_fds", "Number of open file descriptors.", "gauge", Directory.EnumerateFileSystemEntries("/proc/self/fd").Count());
        }

        var collections = Enumerable.Range(0, GC.MaxGeneration + 1)
            .Select(g => new MetricSample("dotnet_gc_collections_total", [("generation", g.ToString(System.Globalization.CultureInfo.InvariantCulture))], GC.CollectionCount(g)))
            .ToArray();
        yield return new MetricFamily("dotnet_gc_collections_total", "Garbage collections since the process started, by generation.", "counter", collections);
        yield return Gauge("dotnet_gc_heap_size_bytes", "Bytes of the managed heap after the last collection.", "gauge", GC.GetGCMemoryInfo().HeapSizeBytes);
        yield return Gauge("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.", "counter", GC.GetTotalAllocatedBytes());
        yield return Gauge("dotnet_threadpool_threads", "Thread-pool threads.", "gauge", ThreadPool.ThreadCount);
    }

    private static MetricFamily Gauge(string name, string help, string type, double value) =>
        new(name, help, type, [new MetricSample(name, [], value)]);
}
