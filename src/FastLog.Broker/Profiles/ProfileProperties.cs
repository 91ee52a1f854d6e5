using System.Globalization;
using FastLog.Broker.Configuration;
using FastLog.Storage;
using B = FastLog.Broker.Configuration.BrokerConfigNames;

namespace FastLog.Broker.Profiles;

/// <summary>
/// The broker configs a profile sets: the base that server.properties and --override win over. The rest of a
/// profile (devices, rings, pinning, GC) is not a Kafka config and is read from <see cref="BrokerConfig.Profile"/>.
/// </summary>
public static class ProfileProperties
{
    public static IReadOnlyDictionary<string, string> Of(HardwareProfile profile)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [B.LogDirs] = string.Join(',', profile.Devices.SelectMany(d => d.DataDirs)),
            [B.LogSegmentBytes] = Text(profile.Segments.Bytes),
            [B.LogPreallocation] = profile.Segments.Preallocation switch
            {
                SegmentPreallocation.None => SegmentPreallocations.None,
                SegmentPreallocation.Fallocate => SegmentPreallocations.Fallocate,
                SegmentPreallocation.ZeroAhead => SegmentPreallocations.ZeroAhead,
                _ => SegmentPreallocations.Prepared,
            },
            [B.LogPrepareAheadBytes] = Text(profile.Segments.PrepareAheadBytes),
            ["log.flush.policy"] = FlushPolicies.Name(profile.Flush.Policy),
            [B.SocketSendBufferBytes] = Text(profile.Network.SocketSendBufferBytes),
            [B.SocketReceiveBufferBytes] = Text(profile.Network.SocketReceiveBufferBytes),
            [B.SocketFetchZeroCopy] = profile.Network.ZeroCopyFetch ? "true" : "false",
        };
        properties[B.LogCleanerThreads] = Text(profile.Cleaner.Threads);
        properties[B.LogCleanerDedupeBufferSize] = Text(profile.Cleaner.DedupeBufferBytes);
        if (profile.Cleaner.IoMaxBytesPerSecond > 0)
        {
            properties[B.LogCleanerIoMaxBytesPerSecond] = Text(profile.Cleaner.IoMaxBytesPerSecond);
        }
        if (profile.Flush.IntervalMs != long.MaxValue)
        {
            properties[B.LogFlushIntervalMs] = Text(profile.Flush.IntervalMs);
        }
        return properties;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
