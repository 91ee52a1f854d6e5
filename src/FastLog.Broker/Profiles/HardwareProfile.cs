using FastLog.Storage;

namespace FastLog.Broker.Profiles;

/// <summary>
/// What a host class is made of and how FastLog should use it: devices and their data dirs, the append rings,
/// flush policy, segment preparation, network and CPU placement, GC mode. The schema is
/// hardware-profiles/README.md (and profile.schema.json for editors); <see cref="HardwareProfileReader"/> parses
/// one strictly and <see cref="HostCheck"/> checks it against the host it starts on.
/// </summary>
public sealed record HardwareProfile
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";

    /// <summary>Each device gets one append ring and one writer thread; its data dirs share them.</summary>
    public required IReadOnlyList<DeviceProfile> Devices { get; init; }

    public RingProfile Ring { get; init; } = new();
    public FlushProfile Flush { get; init; } = new();
    public SegmentProfile Segments { get; init; } = new();
    public NetworkProfile Network { get; init; } = new();
    public CpuProfile Cpu { get; init; } = new();
    public GcProfile Gc { get; init; } = new();
    public CleanerProfile Cleaner { get; init; } = new();

    /// <summary>The behaviour without --profile: each data dir its own device, the defaults below.</summary>
    public static HardwareProfile Default { get; } = new() { Name = "default", Devices = [] };
}

/// <summary>One disk (or array) and the data dirs on it.</summary>
public sealed record DeviceProfile(string Name, IReadOnlyList<string> DataDirs, int? WriterCore);

/// <summary>The append ring of every device.</summary>
public sealed record RingProfile
{
    /// <summary>Slots; a power of two. A full ring makes producers wait (backpressure).</summary>
    public int Size { get; init; } = 1024;

    /// <summary>
    /// busy-spin, yielding, blocking or phased-backoff: how the writer waits for appends. Blocking by default:
    /// at 5,000 msgs/s on a shared 2-core machine it cost a third of phased-backoff's CPU with a lower p99
    /// (perf/README.md); spinning pays only on a core of its own.
    /// </summary>
    public string WaitStrategy { get; init; } = WaitStrategies.Blocking;

    /// <summary>The most entries one writer pass takes before it flushes and answers: bounds a pass's latency.</summary>
    public int MaxBatchEntries { get; init; } = 1024;
}

/// <summary>The broker's default flush.policy and flush.ms (topics may override both).</summary>
public sealed record FlushProfile
{
    public LogFlushPolicy Policy { get; init; } = LogFlushPolicy.PerBatch;
    public long IntervalMs { get; init; } = long.MaxValue;
}

public sealed record SegmentProfile
{
    /// <summary>log.segment.bytes</summary>
    public int Bytes { get; init; } = 1024 * 1024 * 1024;

    public SegmentPreallocation Preallocation { get; init; } = SegmentPreallocation.Prepared;

    /// <summary>log.prepare.ahead.bytes: how far ahead of the appends Prepared keeps zeroed blocks.</summary>
    public int PrepareAheadBytes { get; init; } = 16 * 1024 * 1024;
}

public sealed record NetworkProfile
{
    /// <summary>Worker threads the runtime keeps ready for network completions and request handling; 0: its default.</summary>
    public int MinThreads { get; init; }

    /// <summary>socket.send.buffer.bytes of accepted connections; -1: the operating system's default.</summary>
    public int SocketSendBufferBytes { get; init; } = 102_400;

    /// <summary>socket.receive.buffer.bytes of accepted connections; -1: the operating system's default.</summary>
    public int SocketReceiveBufferBytes { get; init; } = 102_400;

    /// <summary>socket.fetch.zero.copy: fetches sent with sendfile (true) or read into a buffer and sent (false).</summary>
    public bool ZeroCopyFetch { get; init; } = true;
}

public sealed record CpuProfile
{
    /// <summary>Cores the whole process may run on (its affinity); empty: all.</summary>
    public IReadOnlyList<int> ProcessCores { get; init; } = [];
}

/// <summary>The log cleaner (compaction): how much of the host it may take.</summary>
public sealed record CleanerProfile
{
    /// <summary>log.cleaner.threads: logs cleaned at once; 0 turns compaction off.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>log.cleaner.io.max.bytes.per.second over all cleaner threads; 0: unlimited.</summary>
    public long IoMaxBytesPerSecond { get; init; }

    /// <summary>log.cleaner.dedupe.buffer.size: memory for the key maps of all cleaner threads.</summary>
    public long DedupeBufferBytes { get; init; } = 128L * 1024 * 1024;
}

public sealed record GcProfile
{
    /// <summary>Server GC (a heap and GC thread per core) or workstation GC; chosen at process start.</summary>
    public bool Server { get; init; }

    /// <summary>Background (concurrent) collections; chosen at process start.</summary>
    public bool Concurrent { get; init; } = true;

    /// <summary>interactive, batch or sustained-low-latency (GCSettings.LatencyMode), set at start.</summary>
    public string LatencyMode { get; init; } = GcLatencyModes.Interactive;
}

public static class WaitStrategies
{
    public const string BusySpin = "busy-spin";
    public const string Yielding = "yielding";
    public const string Blocking = "blocking";
    public const string PhasedBackoff = "phased-backoff";
    public static readonly string[] All = [BusySpin, Yielding, Blocking, PhasedBackoff];
}

public static class GcLatencyModes
{
    public const string Interactive = "interactive";
    public const string Batch = "batch";
    public const string SustainedLowLatency = "sustained-low-latency";
    public static readonly string[] All = [Interactive, Batch, SustainedLowLatency];
}
