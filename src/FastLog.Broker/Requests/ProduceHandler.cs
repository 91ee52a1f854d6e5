using System.Runtime.InteropServices;
using FastLog.Broker.Configuration;
using FastLog.Broker.Network;
using FastLog.Broker.Partitions;
using FastLog.Broker.Pipeline;
using FastLog.Broker.Topics;
using FastLog.Protocol.Messages;
using FastLog.Protocol.Records;
using FastLog.Storage;

namespace FastLog.Broker.Requests;

/// <summary>
/// Produce: validates every batch in place (size, magic, CRC-32C, counts) without copying it, appends it to
/// the partition's log, flushes, and answers with the base offset. acks=0 gets no response at all.
/// Batches of idempotent producers are checked by the log as they are appended: a retry of a recent batch
/// is answered with its original offset, a fenced epoch with INVALID_PRODUCER_EPOCH and a sequence gap with
/// OUT_OF_ORDER_SEQUENCE_NUMBER.
/// Versions 0-2 are announced (librdkafka up to 2.11 turns compression off unless Produce's minimum is 0)
/// but refused when used, as Kafka 4 does: they cannot carry RecordBatch v2.
/// </summary>
public sealed class ProduceHandler(BrokerServices broker) : IApiHandler
{
    private const short FirstRecordBatchV2Version = 3;

    public short ApiKey => ProduceRequest.ApiKey;
    public short MinVersion => FirstRecordBatchV2Version;
    public short MaxVersion => ProduceRequest.HighestVersion;
    public short AdvertisedMinVersion => ProduceRequest.LowestVersion;

    public bool IsFlexible(short version) => ProduceRequest.IsFlexible(version);

    /// <summary>Decoded into a pooled <see cref="ProduceExchange"/>, not the generated request: nothing per request.</summary>
    public IMessage Decode(ReadOnlyMemory<byte> body, short version) => ProduceExchange.Decode(body, version);

    public ValueTask<Response> HandleAsync(RequestContext context, IMessage request, CancellationToken cancellation)
    {
        // Everything up to the publish into the rings runs before this returns: the connection starts its next
        // request only then, so the appends of one connection keep their request order.
        var exchange = (ProduceExchange)request;
        var version = context.Header.ApiVersion;
        for (var t = 0; t < exchange.TopicCount; t++)
        {
            var topic = exchange.Topic(t);
            for (var p = topic.First; p < topic.First + topic.Count; p++)
            {
                try
                {
                    Submit(version, exchange, topic.Name, ref exchange.Partition(p));
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
                {
                    // Only this partition fails: partitions already published must still be waited for, as their
                    // batches live in the request buffer.
                    exchange.Partition(p).ErrorCode = (short)ErrorCode.UnknownServerError;
                }
            }
        }
        // acks=0 gets no answer (as in Kafka), but still waits: the batches live in the request buffer, which
        // goes back to the pool only once the writer is done with it.
        return exchange.Answer(answer: exchange.Acks != 0);
    }

    /// <summary>Validates one partition's batches and publishes them to its device's ring, or sets its error.</summary>
    private void Submit(short version, ProduceExchange request, string topicName, ref ProduceExchange.PartitionWork data)
    {
        var error = Refusal(version, request, topicName, data, out var partition, out var config);
        if (error != ErrorCode.None)
        {
            data.ErrorCode = (short)error;
            return;
        }

        // The request buffer is ours until the response is sent: offsets and, for LogAppendTime topics, the
        // timestamps are stamped into the batches in place when they are written.
        var records = MemoryMarshal.AsMemory(data.Records!.Value);
        var validation = ValidateBatches(records.Span, config!.MaxMessageBytes);
        if (validation == ErrorCode.None && config.CleanupPolicy.HasFlag(CleanupPolicy.Compact) && !RecordKeys.AllHaveKeys(records.Span))
        {
            validation = ErrorCode.InvalidRecord; // Kafka: compacted topics accept only keyed records
        }
        if (validation != ErrorCode.None)
        {
            data.ErrorCode = (short)validation;
            return;
        }

        var pipeline = partition!.Pipeline ?? throw new InvalidOperationException($"{partition.Id} has no append pipeline");
        data.NowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        data.LogAppendTime = config.MessageTimestampType == MessageTimestampType.LogAppendTime;
        var sequence = pipeline.Claim();
        var completion = AppendCompletion.Rent();
        var entry = pipeline.Ring[sequence];
        entry.Partition = partition;
        entry.Records = records;
        entry.LogAppendTime = data.LogAppendTime;
        entry.NowMs = data.NowMs;
        entry.Completion = completion;
        pipeline.Ring.Publish(sequence);
        data.Completion = completion; // only once published: the exchange waits for exactly what the writer will complete
    }

    private ErrorCode Refusal(short version, ProduceExchange request, string topicName, in ProduceExchange.PartitionWork data, out Partition? partition, out EffectiveTopicConfig? config)
    {
        partition = null;
        config = null;
        if (version < FirstRecordBatchV2Version)
        {
            return ErrorCode.UnsupportedVersion;
        }
        if (request.Acks is not (0 or 1 or -1))
        {
            return ErrorCode.InvalidRequiredAcks;
        }
        if (request.Transactional)
        {
            return ErrorCode.TransactionalIdAuthorizationFailed; // transactions come with the transaction coordinator
        }
        var topic = broker.Metadata.GetTopic(topicName);
        partition = topic is null ? null : broker.Replicas.Get(topicName, data.Index);
        if (topic is null || partition is null)
        {
            return ErrorCode.UnknownTopicOrPartition;
        }
        if (TopicNames.IsInternal(topicName))
        {
            return ErrorCode.InvalidTopicException;
        }
        config = broker.TopicConfig(topic);
        if (request.Acks == -1 && config.MinInsyncReplicas > topic.ReplicationFactor)
        {
            return ErrorCode.NotEnoughReplicas;
        }
        if (data.Records is not { Length: > 0 })
        {
            return ErrorCode.InvalidRecord;
        }
        return ErrorCode.None;
    }

    /// <summary>Checks every batch of the records field; the first failure decides the partition's error.</summary>
    private static ErrorCode ValidateBatches(ReadOnlySpan<byte> records, int maxMessageBytes)
    {
        for (var position = 0; position < records.Length;)
        {
            var validation = RecordBatchValidator.Validate(records[position..], maxMessageBytes);
            if (validation.IsValid && validation.Header.ProducerId >= 0 && validation.Header.BaseSequence < 0)
            {
                return ErrorCode.InvalidRecord; // Kafka: an idempotent batch without a sequence is malformed
            }
            if (!validation.IsValid)
            {
                return validation.Error switch
                {
                    BatchValidationError.InvalidLength when RecordBatchHeader.ReadBatchLength(records[position..]) + (long)RecordBatchLayout.LogOverhead > maxMessageBytes
                        => ErrorCode.MessageTooLarge,
                    BatchValidationError.UnsupportedMagic => ErrorCode.UnsupportedForMessageFormat,
                    BatchValidationError.InvalidRecordCount => ErrorCode.InvalidRecord,
                    BatchValidationError.UnknownCompression => ErrorCode.UnsupportedCompressionType,
                    _ => ErrorCode.CorruptMessage,
                };
            }
            position += validation.Header.TotalSize;
        }
        return ErrorCode.None;
    }
}
