using System.Net;
using FastLog.Broker.Cleaner;
using FastLog.Broker.Configuration;
using FastLog.Broker.Flush;
using FastLog.Broker.Metrics;
using FastLog.Broker.Groups;
using FastLog.Broker.Metadata;
using FastLog.Broker.Network;
using FastLog.Broker.Partitions;
using FastLog.Broker.Pipeline;
using FastLog.Broker.Requests;
using FastLog.Broker.Retention;
using FastLog.Broker.Topics;
using FastLog.Storage;

namespace FastLog.Broker;

/// <summary>
/// A running broker: metadata store, logs, hosted partitions, request handlers and listeners, started from a
/// <see cref="BrokerConfig"/> and stopped cleanly (logs flushed and checkpointed, data dirs marked clean).
/// </summary>
public sealed class KafkaBroker : IAsyncDisposable
{
    private readonly LogManager _logs;
    private readonly KafkaServer _server;
    private readonly GroupCoordinator _groups;
    private readonly Task _groupsLoading;
    private readonly AppendPipelines _pipelines;
    private bool _stopped;

    private readonly LogFlushService _flusher;
    private MetricsEndpoint? _metricsEndpoint;

    private KafkaBroker(BrokerServices services, LogManager logs, KafkaServer server, GroupCoordinator groups, Task groupsLoading, RetentionService retention, LogCleanerService cleaner, AppendPipelines pipelines, LogFlushService flusher)
    {
        Cleaner = cleaner;
        _flusher = flusher;
        _pipelines = pipelines;
        Services = services;
        _logs = logs;
        _server = server;
        _groups = groups;
        _groupsLoading = groupsLoading;
        Retention = retention;
    }

    public RetentionService Retention { get; }

    /// <summary>Compaction of the compacted topics; its metrics say what it did.</summary>
    public LogCleanerService Cleaner { get; }

    public BrokerMetrics Metrics { get; private set; } = null!;

    /// <summary>Where GET /metrics is served; null without metrics.listener.</summary>
    public IPEndPoint? MetricsEndPoint => _metricsEndpoint?.EndPoint;

    public BrokerServices Services { get; }

    /// <summary>The bound listener addresses (a configured port 0 resolved).</summary>
    public IReadOnlyList<(string Name, IPEndPoint EndPoint)> BoundEndPoints => _server.BoundEndPoints;

    public static KafkaBroker Start(BrokerConfig config, Action<string> log)
    {
        var metadata = EmbeddedMetadataStore.Open(config.LogDirs[0], config.ClusterId);
        var logs = LogManager.Open(new LogManagerOptions
        {
            DataDirs = config.LogDirs,
            ConfigFor = partition => LogConfigFor(config, metadata, partition),
            RecoveryThreadsPerDataDir = Math.Max(1, config.NumRecoveryThreadsPerDataDir),
            Log = log,
        });
        try
        {
            var pipelines = new AppendPipelines(config.LogDirs, config.Profile);
            var replicas = new ReplicaManager(logs, pipelines);
            var topics = metadata.Topics;
            replicas.RemoveOrphans(topics);
            foreach (var topic in topics)
            {
                replicas.Host(topic);
            }
            var services = new BrokerServices(config, metadata, replicas, new TopicAdmin(metadata, replicas, config));
            var offsetsTopic = new OffsetsTopic(metadata, replicas, config.OffsetsTopicNumPartitions, config.OffsetsTopicSegmentBytes);
            offsetsTopic.Ensure();
            var groups = new GroupCoordinator(config, offsetsTopic, log);
            RequestDispatcher? dispatcher = null;
            dispatcher = new RequestDispatcher(Handlers(services, groups, () => dispatcher!));
            var requestMetrics = new RequestMetrics();
            var server = new KafkaServer(dispatcher, new ConnectionLimits
            {
                MaxRequestBytes = config.SocketRequestMaxBytes,
                MaxIdleMs = config.ConnectionsMaxIdleMs,
                SendBufferBytes = config.SocketSendBufferBytes,
                ReceiveBufferBytes = config.SocketReceiveBufferBytes,
            }, log, config.SocketFetchZeroCopy, requestMetrics);
            server.Start(config.Listeners.Select(l => new ListenerBinding(l.Name, new IPEndPoint(ResolveBindAddress(l.Host), l.Port))));
            services.Advertised = Advertise(config, server.BoundEndPoints);
            // Serving starts at once; group requests answer COORDINATOR_LOAD_IN_PROGRESS until the load is done.
            var loading = Task.Run(groups.Load);
            var broker = new KafkaBroker(services, logs, server, groups, loading, new RetentionService(services, log), new LogCleanerService(services, log), pipelines, new LogFlushService(services, log));
            broker.Metrics = new BrokerMetrics(services, pipelines, requestMetrics, broker.Cleaner.Metrics);
            if (config.MetricsListener is { } metrics)
            {
                broker._metricsEndpoint = new MetricsEndpoint(new IPEndPoint(ResolveBindAddress(metrics.Host), metrics.Port), broker.Metrics, log);
            }
            return broker;
        }
        catch
        {
            logs.Close();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        if (_metricsEndpoint is not null)
        {
            await _metricsEndpoint.DisposeAsync().ConfigureAwait(false);
        }
        await _server.DisposeAsync().ConfigureAwait(false);
        _pipelines.Dispose();
        await _flusher.DisposeAsync().ConfigureAwait(false);
        await Retention.DisposeAsync().ConfigureAwait(false);
        await Cleaner.DisposeAsync().ConfigureAwait(false);
        await _groups.DisposeAsync().ConfigureAwait(false);
        await _groupsLoading.ConfigureAwait(false);
        Services.Purgatory.Dispose();
        _logs.Close();
    }

    private static IEnumerable<IApiHandler> Handlers(BrokerServices services, GroupCoordinator groups, Func<RequestDispatcher> dispatcher) =>
    [
        new ApiVersionsHandler(dispatcher),
        new MetadataHandler(services),
        new ProduceHandler(services),
        new FetchHandler(services),
        new ListOffsetsHandler(services),
        new CreateTopicsHandler(services),
        new DeleteTopicsHandler(services),
        new CreatePartitionsHandler(services),
        new DeleteRecordsHandler(services),
        new DescribeConfigsHandler(services),
        new AlterConfigsHandler(services),
        new IncrementalAlterConfigsHandler(services),
        new DescribeClusterHandler(services),
        new OffsetForLeaderEpochHandler(services),
        new SaslHandshakeHandler(),
        new FindCoordinatorHandler(services),
        new JoinGroupHandler(groups),
        new SyncGroupHandler(groups),
        new HeartbeatHandler(groups),
        new LeaveGroupHandler(groups),
        new OffsetCommitHandler(groups, services),
        new OffsetFetchHandler(groups),
        new OffsetDeleteHandler(groups),
        new ListGroupsHandler(groups),
        new DescribeGroupsHandler(groups),
        new DeleteGroupsHandler(groups),
        new InitProducerIdHandler(services),
    ];

    private static LogConfig LogConfigFor(BrokerConfig config, IMetadataStore metadata, TopicPartition partition)
    {
        var overrides = metadata.GetTopic(partition.Topic)?.Configs ?? new Dictionary<string, string>();
        var topicConfig = TopicConfigResolver.Resolve(config, overrides);
        return topicConfig.ToLogConfig() with
        {
            ProducerIdExpirationMs = config.ProducerIdExpirationMs,
            FileDeleteDelayMs = long.Parse(topicConfig["file.delete.delay.ms"].Value!, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static IPAddress ResolveBindAddress(string host)
    {
        if (string.IsNullOrEmpty(host) || host == "0.0.0.0")
        {
            return IPAddress.Any;
        }
        if (IPAddress.TryParse(host, out var address))
        {
            return address;
        }
        return Dns.GetHostAddresses(host).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
    }

    /// <summary>
    /// advertised.listeners with a port of 0 take the port the listener of that name was bound to; an empty or
    /// wildcard host is advertised as the loopback address, the only one certain to reach this machine.
    /// </summary>
    private static List<AdvertisedListener> Advertise(BrokerConfig config, IReadOnlyList<(string Name, IPEndPoint EndPoint)> bound)
    {
        var result = new List<AdvertisedListener>();
        foreach (var listener in config.AdvertisedListeners)
        {
            var boundPort = bound.First(b => b.Name == listener.Name).EndPoint.Port;
            var host = string.IsNullOrEmpty(listener.Host) || listener.Host == "0.0.0.0" ? "127.0.0.1" : listener.Host;
            result.Add(new AdvertisedListener(listener.Name, host, listener.Port == 0 ? boundPort : listener.Port));
        }
        return result;
    }
}
