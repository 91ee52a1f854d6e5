using System.Text.Json;
using FastLog.Broker.Configuration;
using FastLog.Storage;

namespace FastLog.Broker.Profiles;

/// <summary>
/// Parses a hardware profile (JSON, comments allowed) strictly: an unknown field, a wrong type or a value out of
/// range is a <see cref="ProfileException"/> naming the field. What depends on the host (data dirs writable,
/// cores present) is <see cref="HostCheck"/>'s job.
/// </summary>
public static class HardwareProfileReader
{
    private const int MaxRingSize = 1 << 20;

    private static readonly JsonDocumentOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    public static HardwareProfile Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new ProfileException($"profile {source}: not valid JSON: {e.Message}");
        }
        using (document)
        {
            return Read(new JsonFields(document.RootElement, "", source), source);
        }
    }

    private static HardwareProfile Read(JsonFields root, string source)
    {
        root.Ignore("$schema");
        var profile = new HardwareProfile
        {
            Name = root.String("name"),
            Description = root.String("description", ""),
            Devices = ReadDevices(root, source),
            Ring = root.Section<RingProfile>("ring", ReadRing),
            Flush = root.Section<FlushProfile>("flush", ReadFlush),
            Segments = root.Section<SegmentProfile>("segments", ReadSegments),
            Network = root.Section<NetworkProfile>("network", ReadNetwork),
            Cpu = root.Section<CpuProfile>("cpu", ReadCpu),
            Gc = root.Section<GcProfile>("gc", ReadGc),
            Cleaner = root.Section<CleanerProfile>("cleaner", ReadCleaner),
        };
        root.End();
        return profile;
    }

    private static List<DeviceProfile> ReadDevices(JsonFields root, string source)
    {
        var items = root.Array("devices") ?? throw root.Error("devices", "is required: at least one device with its data dirs");
        if (items.Count == 0)
        {
            throw root.Error("devices", "must list at least one device");
        }
        var devices = new List<DeviceProfile>();
        var dirs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (item, path) in items)
        {
            var fields = new JsonFields(item, path, source);
            var name = fields.String("name");
            if (devices.Any(d => d.Name == name))
            {
                throw fields.Error(fields.Path("name"), $"\"{name}\" names two devices");
            }
            var dataDirs = fields.Strings("dataDirs");
            if (dataDirs.Count == 0 || dataDirs.Any(d => d.Trim().Length == 0))
            {
                throw fields.Error(fields.Path("dataDirs"), "must list at least one data dir, none empty");
            }
            foreach (var dir in dataDirs)
            {
                var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
                if (!dirs.TryAdd(full, name))
                {
                    throw fields.Error(fields.Path("dataDirs"), $"\"{dir}\" is already a data dir of device \"{dirs[full]}\"");
                }
            }
            int? writerCore = fields.Has("writerCore") ? fields.Int("writerCore", 0, 0, 4095) : null;
            fields.End();
            devices.Add(new DeviceProfile(name, dataDirs, writerCore));
        }
        return devices;
    }

    private static RingProfile ReadRing(JsonFields fields, RingProfile defaults)
    {
        var size = fields.Int("size", defaults.Size, 2, MaxRingSize);
        if ((size & (size - 1)) != 0)
        {
            throw fields.Error(fields.Path("size"), $"must be a power of two, got {size}");
        }
        return new RingProfile
        {
            Size = size,
            WaitStrategy = fields.String("waitStrategy", defaults.WaitStrategy, WaitStrategies.All),
            MaxBatchEntries = fields.Int("maxBatchEntries", Math.Min(defaults.MaxBatchEntries, size), 1, size),
        };
    }

    private static FlushProfile ReadFlush(JsonFields fields, FlushProfile defaults)
    {
        var policy = FlushPolicies.From(fields.String("policy", FlushPolicies.PerBatch, [FlushPolicies.PerBatch, FlushPolicies.Interval, FlushPolicies.None]));
        if (policy == LogFlushPolicy.Interval && !fields.Has("intervalMs"))
        {
            throw fields.Error(fields.Path("intervalMs"), "is required when policy is interval");
        }
        return new FlushProfile { Policy = policy, IntervalMs = fields.Long("intervalMs", defaults.IntervalMs, 1, long.MaxValue) };
    }

    private static SegmentProfile ReadSegments(JsonFields fields, SegmentProfile defaults)
    {
        return new SegmentProfile
        {
            Bytes = fields.Int("bytes", defaults.Bytes, 1024 * 1024, int.MaxValue - 1),
            Preallocation = SegmentPreallocations.From(fields.String("preallocation", SegmentPreallocations.Prepared,
                [SegmentPreallocations.Prepared, SegmentPreallocations.ZeroAhead, SegmentPreallocations.Fallocate, SegmentPreallocations.None])),
            PrepareAheadBytes = fields.Int("prepareAheadBytes", defaults.PrepareAheadBytes, 4 * 1024 * 1024, 1024 * 1024 * 1024),
        };
    }

    private static NetworkProfile ReadNetwork(JsonFields fields, NetworkProfile defaults)
    {
        return new NetworkProfile
        {
            MinThreads = fields.Int("minThreads", defaults.MinThreads, 0, 4096),
            SocketSendBufferBytes = SocketBuffer(fields, "socketSendBufferBytes", defaults.SocketSendBufferBytes),
            SocketReceiveBufferBytes = SocketBuffer(fields, "socketReceiveBufferBytes", defaults.SocketReceiveBufferBytes),
            ZeroCopyFetch = fields.Bool("zeroCopyFetch", defaults.ZeroCopyFetch),
        };
    }

    private static int SocketBuffer(JsonFields fields, string name, int fallback)
    {
        var value = fields.Int(name, fallback, -1, 256 * 1024 * 1024);
        return value == 0 ? throw fields.Error(fields.Path(name), "must be -1 (the system's default) or a size in bytes, got 0") : value;
    }

    private static CpuProfile ReadCpu(JsonFields fields, CpuProfile defaults)
    {
        var cores = fields.Ints("processCores", 0, 4095);
        if (cores.Distinct().Count() != cores.Count)
        {
            throw fields.Error(fields.Path("processCores"), "names a core twice");
        }
        return new CpuProfile { ProcessCores = cores };
    }

    private static CleanerProfile ReadCleaner(JsonFields fields, CleanerProfile defaults)
    {
        return new CleanerProfile
        {
            Threads = fields.Int("threads", defaults.Threads, 0, 64),
            IoMaxBytesPerSecond = fields.Long("ioMaxBytesPerSecond", defaults.IoMaxBytesPerSecond, 0, long.MaxValue),
            DedupeBufferBytes = fields.Long("dedupeBufferBytes", defaults.DedupeBufferBytes, 1024 * 1024, 64L * 1024 * 1024 * 1024),
        };
    }

    private static GcProfile ReadGc(JsonFields fields, GcProfile defaults)
    {
        return new GcProfile
        {
            Server = fields.Bool("server", defaults.Server),
            Concurrent = fields.Bool("concurrent", defaults.Concurrent),
            LatencyMode = fields.String("latencyMode", defaults.LatencyMode, GcLatencyModes.All),
        };
    }
}
