using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>The librdkafka settings of every client the tool makes, all pointed at the one --bootstrap address.</summary>
internal static class ClientConfigs
{
    public const string ClientId = "fastlog-loadgen";

    /// <summary>
    /// librdkafka's message.timeout.ms. Its default of 5 minutes would let a stalled broker hold the run open that
    /// long; 30 s bounds the drain while staying far above any latency worth measuring. A message that times out is
    /// a delivery failure.
    /// </summary>
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    public static ProducerConfig Producer(Options options) => new()
    {
        BootstrapServers = options.Bootstrap.ToString(),
        ClientId = ClientId,
        Acks = options.Acks switch
        {
            "0" => Confluent.Kafka.Acks.None,
            "1" => Confluent.Kafka.Acks.Leader,
            _ => Confluent.Kafka.Acks.All,
        },
        CompressionType = options.Compression switch
        {
            "gzip" => CompressionType.Gzip,
            "snappy" => CompressionType.Snappy,
            "lz4" => CompressionType.Lz4,
            "zstd" => CompressionType.Zstd,
            _ => CompressionType.None,
        },
        LingerMs = options.LingerMs,
        BatchSize = options.BatchBytes,
        // Explicitly off: the figures should not depend on whether a broker implements InitProducerId, and acks=all
        // must mean only acks=all.
        EnableIdempotence = false,
        MessageTimeoutMs = (int)DeliveryTimeout.TotalMilliseconds,
        // The delivery handler needs only the error; not copying key, value, headers and timestamp back into
        // managed objects per message raises the client's own ceiling.
        DeliveryReportFields = "none",
    };

    public static ConsumerConfig Consumer(Options options) => new()
    {
        BootstrapServers = options.Bootstrap.ToString(),
        ClientId = ClientId,
        // The consumers assign partitions themselves and commit nothing, so no group is ever joined; the client still
        // insists on a group id, and a fresh one keeps two runs from ever sharing state.
        GroupId = $"loadgen-{Guid.NewGuid():N}",
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnablePartitionEof = true,
    };

    public static AdminClientConfig Admin(Options options) => new()
    {
        BootstrapServers = options.Bootstrap.ToString(),
        ClientId = ClientId,
    };
}
