using Confluent.Kafka;
using FastLog.Tools.Cli;

namespace FastLog.Tools.Groups;

/// <summary>
/// The Kafka clients a group command talks to the broker through: an admin client for groups, topics and committed
/// offsets, and a consumer that never joins a group, for log offsets (ListOffsets).
/// </summary>
internal sealed class BrokerConnection : IDisposable
{
    public const string DefaultBootstrapServer = "127.0.0.1:9092";

    /// <summary>The options every group command takes.</summary>
    public static readonly string[] Options = ["--bootstrap-server", "--timeout-ms"];

    // Confluent.Kafka refuses a consumer without a group id; this one only sends ListOffsets, so it never joins or commits.
    private const string OffsetQueryGroupId = "fastlog-offset-query";

    private readonly string _bootstrapServers;
    private readonly Lazy<IConsumer<Ignore, Ignore>> _consumer;
    private string? _lastError;

    private BrokerConnection(string bootstrapServers, TimeSpan timeout)
    {
        _bootstrapServers = bootstrapServers;
        Timeout = timeout;
        Admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, e) => _lastError = e.Reason)
            .Build();
        _consumer = new Lazy<IConsumer<Ignore, Ignore>>(() => new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = OffsetQueryGroupId,
            EnableAutoCommit = false,
        })
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, e) => _lastError = e.Reason)
            .Build());
    }

    public IAdminClient Admin { get; }

    /// <summary>How long each request may wait for the broker (--timeout-ms).</summary>
    public TimeSpan Timeout { get; }

    public static BrokerConnection Open(Arguments parsed) => new(
        parsed.Value("--bootstrap-server", DefaultBootstrapServer),
        TimeSpan.FromMilliseconds(parsed.Int("--timeout-ms", 10_000, 1)));

    /// <summary>Runs a command's requests; a broker that cannot be reached or fails a request ends it with a message and exit 3.</summary>
    public int Run(Func<Task<int>> command, TextWriter output, TextWriter error)
    {
        try
        {
            // librdkafka can crash the process when a client is disposed after a group request timed out
            // (confluentinc/librdkafka#4605), so an unreachable broker is found first by a metadata request,
            // which is synchronous and leaves nothing pending when it fails.
            Admin.GetMetadata(Timeout);
            return command().GetAwaiter().GetResult();
        }
        catch (KafkaException e)
        {
            output.Flush();
            error.WriteLine($"error: {Explain(e)}");
            return ExitCodes.BrokerUnavailable;
        }
    }

    /// <summary>The partitions of <paramref name="topic"/>, or null when the broker does not know it.</summary>
    public IReadOnlyList<int>? PartitionsOf(string topic)
    {
        // All topics, not just this one: a metadata request naming a topic may create it where auto-create is on.
        var metadata = Admin.GetMetadata(Timeout);
        var found = metadata.Topics.FirstOrDefault(t => t.Topic == topic && t.Error.Code == ErrorCode.NoError);
        return found?.Partitions.Select(p => p.PartitionId).Order().ToList();
    }

    /// <summary>The log start offset and the high watermark (the log end offset a consumer can read to).</summary>
    public WatermarkOffsets Watermarks(TopicPartition partition) => _consumer.Value.QueryWatermarkOffsets(partition, Timeout);

    /// <summary>The first offset whose timestamp is at or after <paramref name="time"/>, or null when there is none.</summary>
    public long? OffsetForTime(TopicPartition partition, DateTimeOffset time)
    {
        var found = _consumer.Value.OffsetsForTimes([new TopicPartitionTimestamp(partition, new Timestamp(time))], Timeout).Single();
        return found.Offset.Value >= 0 ? found.Offset.Value : null;
    }

    /// <summary>
    /// What went wrong talking to the broker: librdkafka reports "connection refused" to the error handler and only
    /// "timed out" to the call that waited, so the message names both.
    /// </summary>
    private string Explain(KafkaException e)
    {
        var reason = $"{_bootstrapServers}: {e.Error.Reason}";
        return _lastError is { } last && last != e.Error.Reason ? $"{reason} ({last})" : reason;
    }

    public void Dispose()
    {
        if (_consumer.IsValueCreated)
        {
            _consumer.Value.Dispose();
        }
        Admin.Dispose();
    }
}
