using System.Globalization;
using B = FastLog.Broker.Configuration.BrokerConfigNames;

namespace FastLog.Broker.Configuration;

/// <summary>
/// Turns merged properties into a <see cref="BrokerConfig"/>: each known key parsed and checked on its own, then
/// the rules between keys (Kafka's precedences, listeners against advertised listeners, session timeout bounds).
/// </summary>
internal sealed class BrokerConfigParser
{
    private readonly Dictionary<string, ConfigEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    private BrokerConfigParser(IReadOnlyDictionary<string, string> properties)
    {
        foreach (var key in BrokerConfigDefinitions.All)
        {
            if (properties.TryGetValue(key.Name, out var raw))
            {
                _values[key.Name] = key.Parse(raw);
                _entries[key.Name] = new ConfigEntry(key.Name, raw.Trim(), ConfigSource.StaticBrokerConfig, key.Type);
            }
            else
            {
                _values[key.Name] = key.DefaultValue is null ? null : key.Parse(key.DefaultValue);
                _entries[key.Name] = new ConfigEntry(key.Name, key.DefaultValue, ConfigSource.DefaultConfig, key.Type);
            }
        }
    }

    public static BrokerConfig Parse(IReadOnlyDictionary<string, string> properties)
    {
        var parser = new BrokerConfigParser(properties);
        var listeners = parser.Listeners();
        var groupMinSessionTimeoutMs = parser.Get<int>(B.GroupMinSessionTimeoutMs);
        var groupMaxSessionTimeoutMs = parser.Get<int>(B.GroupMaxSessionTimeoutMs);
        if (groupMinSessionTimeoutMs > groupMaxSessionTimeoutMs)
        {
            throw new ConfigException(B.GroupMinSessionTimeoutMs, groupMinSessionTimeoutMs.ToString(CultureInfo.InvariantCulture),
                $"must not be larger than {B.GroupMaxSessionTimeoutMs} ({groupMaxSessionTimeoutMs})");
        }

        return new BrokerConfig
        {
            Listeners = listeners,
            AdvertisedListeners = parser.AdvertisedListeners(listeners),
            LogDirs = parser.LogDirs(),
            NodeId = parser.NodeId(),
            ClusterId = parser.Get<string?>(B.ClusterId),
            NumPartitions = parser.Get<int>(B.NumPartitions),
            DefaultReplicationFactor = parser.Get<int>(B.DefaultReplicationFactor),
            AutoCreateTopicsEnable = parser.Get<bool>(B.AutoCreateTopicsEnable),
            DeleteTopicEnable = parser.Get<bool>(B.DeleteTopicEnable),
            SocketRequestMaxBytes = parser.Get<int>(B.SocketRequestMaxBytes),
            ConnectionsMaxIdleMs = parser.Get<long>(B.ConnectionsMaxIdleMs),
            MessageMaxBytes = parser.Get<int>(B.MessageMaxBytes),
            MinInsyncReplicas = parser.Get<int>(B.MinInsyncReplicas),
            NumRecoveryThreadsPerDataDir = parser.Get<int>(B.NumRecoveryThreadsPerDataDir),
            LogSegmentBytes = parser.Get<int>(B.LogSegmentBytes),
            LogRollMs = parser.Milliseconds(TopicConfigNames.SegmentMs),
            LogRetentionMs = parser.LogRetentionMs(),
            LogRetentionBytes = parser.Get<long>(B.LogRetentionBytes),
            LogCleanupPolicy = CleanupPolicies.From(parser.Get<IReadOnlyList<string>>(B.LogCleanupPolicy)),
            LogIndexIntervalBytes = parser.Get<int>(B.LogIndexIntervalBytes),
            LogIndexSizeMaxBytes = parser.Get<int>(B.LogIndexSizeMaxBytes),
            LogMessageTimestampType = Enum.Parse<MessageTimestampType>(parser.Get<string>(B.LogMessageTimestampType)),
            LogFlushIntervalMessages = parser.Get<long>(B.LogFlushIntervalMessages),
            LogFlushIntervalMs = parser.Get<long>(B.LogFlushIntervalMs),
            LogPreallocation = SegmentPreallocations.From(parser.Get<string>(B.LogPreallocation)),
            LogPrepareAheadBytes = parser.Get<int>(B.LogPrepareAheadBytes),
            SocketSendBufferBytes = parser.Get<int>(B.SocketSendBufferBytes),
            MetricsListener = MetricsListeners.TryParse(parser.Get<string>(B.MetricsListener), out var metrics) ? metrics : null,
            SocketReceiveBufferBytes = parser.Get<int>(B.SocketReceiveBufferBytes),
            SocketFetchZeroCopy = parser.Get<bool>(B.SocketFetchZeroCopy),
            OffsetsTopicNumPartitions = parser.Get<int>(B.OffsetsTopicNumPartitions),
            OffsetsTopicReplicationFactor = parser.Get<short>(B.OffsetsTopicReplicationFactor),
            OffsetsTopicSegmentBytes = parser.Get<int>(B.OffsetsTopicSegmentBytes),
            GroupInitialRebalanceDelayMs = parser.Get<int>(B.GroupInitialRebalanceDelayMs),
            GroupMinSessionTimeoutMs = groupMinSessionTimeoutMs,
            GroupMaxSessionTimeoutMs = groupMaxSessionTimeoutMs,
            GroupMaxSize = parser.Get<int>(B.GroupMaxSize),
            LogRetentionCheckIntervalMs = parser.Get<long>(B.LogRetentionCheckIntervalMs),
            ProducerIdExpirationMs = parser.Get<int>(B.ProducerIdExpirationMs),
            OffsetsRetentionMinutes = parser.Get<int>(B.OffsetsRetentionMinutes),
            OffsetMetadataMaxBytes = parser.Get<int>(B.OffsetMetadataMaxBytes),
            TransactionMaxTimeoutMs = parser.Get<int>(B.TransactionMaxTimeoutMs),
            LogCleanerEnable = parser.Get<bool>(B.LogCleanerEnable),
            LogCleanerThreads = parser.Get<int>(B.LogCleanerThreads),
            LogCleanerIoMaxBytesPerSecond = parser.Get<double>(B.LogCleanerIoMaxBytesPerSecond),
            LogCleanerDedupeBufferSize = parser.Get<long>(B.LogCleanerDedupeBufferSize),
            LogCleanerBackoffMs = parser.Get<long>(B.LogCleanerBackoffMs),
            Entries = [.. parser._entries.Values.OrderBy(e => e.Name, StringComparer.Ordinal)],
            EntriesByName = parser._entries,
            UnknownKeys = [.. properties.Keys.Where(k => BrokerConfigDefinitions.Find(k) is null).Order(StringComparer.Ordinal)],
            Originals = new Dictionary<string, string>(properties, StringComparer.Ordinal),
        };
    }

    private T Get<T>(string name) => (T)_values[name]!;

    private bool IsSet(string name) => _entries[name].Source == ConfigSource.StaticBrokerConfig;

    private string Raw(string name) => _entries[name].Value ?? "";

    private List<Endpoint> Listeners()
    {
        var listeners = Endpoints(B.Listeners);
        if (listeners.Count == 0)
        {
            throw new ConfigException(B.Listeners, Raw(B.Listeners), "must name at least one listener");
        }
        // Two listeners cannot bind one port; port 0 asks for a free port each time, so it may repeat.
        if (listeners.Where(l => l.Port != 0).GroupBy(l => l.Port).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new ConfigException(B.Listeners, Raw(B.Listeners), $"has more than one listener on port {shared.Key}");
        }
        return listeners;
    }

    private List<Endpoint> AdvertisedListeners(List<Endpoint> listeners)
    {
        if (_values[B.AdvertisedListeners] is null)
        {
            return listeners;
        }
        var advertised = Endpoints(B.AdvertisedListeners);
        if (advertised.Count == 0)
        {
            throw new ConfigException(B.AdvertisedListeners, Raw(B.AdvertisedListeners), "must name at least one listener");
        }
        foreach (var endpoint in advertised)
        {
            if (!listeners.Any(l => l.Name == endpoint.Name))
            {
                throw new ConfigException(B.AdvertisedListeners, Raw(B.AdvertisedListeners),
                    $"advertises listener {endpoint.Name}, which {B.Listeners} does not define (it defines {string.Join(", ", listeners.Select(l => l.Name))})");
            }
            // A client cannot connect to the wildcard address; Kafka refuses it too.
            if (endpoint.Host is "0.0.0.0" or "::" or "0:0:0:0:0:0:0:0")
            {
                throw new ConfigException(B.AdvertisedListeners, Raw(B.AdvertisedListeners),
                    $"advertises the non-routable address {endpoint.Host}; give a host name or address clients can reach");
            }
        }
        return advertised;
    }

    /// <summary>The endpoints of a list the validator already checked item by item; names must be unique.</summary>
    private List<Endpoint> Endpoints(string name)
    {
        var endpoints = Get<IReadOnlyList<string>>(name)
            .Select(item => Endpoint.TryParse(item, out var endpoint, out _) ? endpoint : throw new InvalidOperationException($"{name} was not validated"))
            .ToList();
        if (endpoints.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new ConfigException(name, Raw(name), $"names listener {repeated.Key} more than once");
        }
        return endpoints;
    }

    private List<string> LogDirs()
    {
        // log.dirs wins over log.dir when given; log.dir has the default.
        var (name, dirs) = _values[B.LogDirs] is IReadOnlyList<string> list
            ? (B.LogDirs, list.ToList())
            : (B.LogDir, [Get<string>(B.LogDir)]);
        if (dirs.GroupBy(d => d, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            throw new ConfigException(name, Raw(name), $"names log directory {repeated.Key} more than once");
        }
        return dirs;
    }

    private int NodeId()
    {
        // node.id is the KRaft name of broker.id; when both are given they must agree.
        if (IsSet(B.NodeId) && IsSet(B.BrokerId) && Get<int>(B.NodeId) != Get<int>(B.BrokerId))
        {
            throw new ConfigException(B.NodeId, Raw(B.NodeId), $"differs from {B.BrokerId} \"{Raw(B.BrokerId)}\"; set one of them, or both to the same id");
        }
        return IsSet(B.NodeId) || !IsSet(B.BrokerId) ? Get<int>(B.NodeId) : Get<int>(B.BrokerId);
    }

    private long LogRetentionMs()
    {
        var retention = SynonymChain.Resolve(TopicConfigDefinitions.Find(TopicConfigNames.RetentionMs)!, Entry);
        var millis = long.Parse(retention.Value!, CultureInfo.InvariantCulture);
        if (millis == 0)
        {
            // Kafka: "log.retention.ms must be unlimited (-1) or, equal or greater than 1".
            var name = retention.FromBrokerConfig!;
            throw new ConfigException(name, Raw(name), "must be -1 (unlimited) or give a retention of at least 1 ms");
        }
        return millis;
    }

    /// <summary>A broker value in milliseconds through its synonym chain (log.roll.ms, else log.roll.hours).</summary>
    private long Milliseconds(string topicConfig) =>
        long.Parse(SynonymChain.Resolve(TopicConfigDefinitions.Find(topicConfig)!, Entry).Value!, CultureInfo.InvariantCulture);

    private ConfigEntry? Entry(string name) => _entries.GetValueOrDefault(name);
}
