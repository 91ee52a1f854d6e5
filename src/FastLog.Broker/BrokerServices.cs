using FastLog.Broker.Configuration;
using FastLog.Broker.Metadata;
using FastLog.Broker.Partitions;
using FastLog.Broker.Topics;

namespace FastLog.Broker;

/// <summary>An address clients are told to connect to, for one listener.</summary>
public sealed record AdvertisedListener(string Name, string Host, int Port);

/// <summary>What request handlers share: the config, the metadata, the hosted partitions and topic admin.</summary>
public sealed class BrokerServices(BrokerConfig config, IMetadataStore metadata, ReplicaManager replicas, TopicAdmin topics)
{
    public BrokerConfig Config { get; } = config;
    public IMetadataStore Metadata { get; } = metadata;
    public ReplicaManager Replicas { get; } = replicas;
    public TopicAdmin Topics { get; } = topics;
    public int NodeId => Config.NodeId;

    /// <summary>Deadlines of delayed requests (fetch long polls): one wheel, no timer or thread per request.</summary>
    public Timers.TimerWheel Purgatory { get; } = new(tickMs: 5);

    /// <summary>Fetch long polls waiting in the purgatory now (Kafka's fetch purgatory size).</summary>
    public int WaitingFetches => Volatile.Read(ref _waitingFetches);

    private int _waitingFetches;

    internal void FetchWaitStarted() => Interlocked.Increment(ref _waitingFetches);

    internal void FetchWaitEnded() => Interlocked.Decrement(ref _waitingFetches);

    /// <summary>Set once the listeners are bound (a configured port 0 is known only then).</summary>
    public IReadOnlyList<AdvertisedListener> Advertised { get; set; } = [];

    /// <summary>The address to give a client that came in on <paramref name="listenerName"/>.</summary>
    public AdvertisedListener AdvertisedFor(string listenerName) =>
        Advertised.FirstOrDefault(a => a.Name == listenerName) ?? Advertised[0];

    /// <summary>
    /// The topic's effective config. Topic metadata records are replaced on every change, so the resolved
    /// config is cached per record: the produce path resolves nothing while a topic's configs stand still.
    /// </summary>
    public EffectiveTopicConfig TopicConfig(TopicMetadata topic) => _resolved.GetValue(topic, _resolve);

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<TopicMetadata, EffectiveTopicConfig> _resolved = new();

    // One delegate for the broker's life: every produce request asks, and a lambda here would be a new one each time.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<TopicMetadata, EffectiveTopicConfig>.CreateValueCallback _resolve =
        topic => TopicConfigResolver.Resolve(config, topic.Configs);
}
