using System.Diagnostics;
using System.Globalization;
using Prometheus;

namespace ModelMonitor.Service.Metrics;

/// <summary>
/// Process and runtime metrics under the names Prometheus client libraries use (<c>process_*</c>),
/// so standard dashboards and alerts work, plus the .NET garbage collector and thread pool; read at
/// each scrape. prometheus-net's own process collector (DotNetStats) is not used: it names resident
/// memory <c>process_working_set_bytes</c>, has no <c>process_open_fds</c>, and its .NET names differ.
/// </summary>
internal sealed class ProcessMetrics
{
    private const string FileDescriptors = "/proc/self/fd";
    private readonly Lock refresh = new();

    public ProcessMetrics(CollectorRegistry registry, IMetricFactory factory)
    {
        var cpu = factory.CreateCounter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.");
        var resident = factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var virtualMemory = factory.CreateGauge("process_virtual_memory_bytes", "Virtual memory size in bytes.");
        var start = factory.CreateGauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.");
        var threads = factory.CreateGauge("process_num_threads", "Number of OS threads in the process.");
        var openFds = Directory.Exists(FileDescriptors) ? factory.CreateGauge("process_open_fds", "Number of open file descriptors.") : null;
        var collections = factory.CreateCounter("dotnet_gc_collections_total", "Garbage collections since the process started, by generation.", ["generation"]);
        var heap = factory.CreateGauge("dotnet_gc_heap_size_bytes", "Bytes of the managed heap after the last collection.");
        var allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.");
        var poolThreads = factory.CreateGauge("dotnet_threadpool_threads", "Thread-pool threads.");
        using (var process = Process.GetCurrentProcess())
        {
            start.Set(new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        }

        registry.AddBeforeCollectCallback(() =>
        {
            lock (refresh)
            {
                using var process = Process.GetCurrentProcess();
                cpu.IncTo(process.TotalProcessorTime.TotalSeconds);
                resident.Set(process.WorkingSet64);
                virtualMemory.Set(process.VirtualMemorySize64);
                threads.Set(process.Threads.Count);
                openFds?.Set(Directory.EnumerateFileSystemEntries(FileDescriptors).Count());
                for (var generation = 0; generation <= GC.MaxGeneration; generation++)
                {
                    collections.WithLabels(generation.ToString(CultureInfo.InvariantCulture)).IncTo(GC.CollectionCount(generation));
                }

                heap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
                allocated.IncTo(GC.GetTotalAllocatedBytes());
                poolThreads.Set(ThreadPool.ThreadCount);
            }
        });
    }
}
