using System.Runtime.InteropServices;
using FastLog.Broker.Configuration;
using FastLog.Broker.Network;
using FastLog.Broker.Partitions;
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
public sealed class ProduceHandler(BrokerServices broker) : ApiHandler<ProduceRequest>
{
    private const short FirstRecordBatchV2Version = 3;

    public override short MinVersion => FirstRecordBatchV2Version;
    public override short AdvertisedMinVersion => 0;

    protected override ValueTask<Response> HandleAsync(RequestContext context, ProduceRequest request, CancellationToken cancellation)
    {
        var version = Version(context);
        var response = new ProduceResponse();
        foreach (var topic in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            response.Responses.Add(topicResponse);
            foreach (var partition in topic.PartitionData)
            {
                topicResponse.PartitionResponses.Add(ProducePartition(version, request, topic.Name, partition));
            }
        }
        return ValueTask.FromResult(request.Acks == 0 ? Response.None : Response.Of(response));
    }

    private ProduceResponse.PartitionProduceResponse ProducePartition(short version, ProduceRequest request, string topicName, ProduceRequest.PartitionProduceData data)
    {
        var result = new ProduceResponse.PartitionProduceResponse { Index = data.Index, BaseOffset = -1 };
        var error = Refusal(version, request, topicName, data, out var partition, out var config);
        if (error != ErrorCode.None)
        {
            result.ErrorCode = (short)error;
            return result;
        }

        // The request buffer is ours until the response is sent: offsets and, for LogAppendTime topics, the
        // timestamps are stamped into the batches in place before they are written.
        var records = MemoryMarshal.AsMemory(data.Records!.Value.Memory);
        var validation = ValidateBatches(records.Span, config!.MaxMessageBytes);
        if (validation != ErrorCode.None)
        {
            result.ErrorCode = (short)validation;
            return result;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var logAppendTime = config.MessageTimestampType == MessageTimestampType.LogAppendTime;
        var first = default(AppendResult?);
        var span = records.Span;
        for (var position = 0; position < span.Length;)
        {
            var size = RecordBatchHeader.ReadBatchLength(span[position..]) + RecordBatchLayout.LogOverhead;
            var batch = span.Slice(position, size);
            if (logAppendTime)
            {
                StampLogAppendTime(batch, now);
            }
            var appended = partition!.Log.TryAppend(batch, Partition.LeaderEpoch);
            if (!appended.IsSuccess)
            {
                // Kafka allows one batch per partition from v3 on; with several, those before stay written.
                result.ErrorCode = (short)(appended.Status == AppendStatus.InvalidProducerEpoch ? ErrorCode.InvalidProducerEpoch : ErrorCode.OutOfOrderSequenceNumber);
                break;
            }
            first ??= appended;
            position += size;
        }
        if (first is not { } answered)
        {
            return result;
        }
        // Also after a duplicate: its original may have been appended by a request still flushing.
        partition!.AdvanceHighWatermark(partition.Log.Flush());

        if (result.ErrorCode == (short)ErrorCode.None)
        {
            result.BaseOffset = answered.BaseOffset;
            // A duplicate reports the original append's time, as Kafka does.
            result.LogAppendTimeMs = logAppendTime ? (answered.Status == AppendStatus.Duplicate ? answered.Timestamp : now) : -1;
        }
        result.LogStartOffset = partition.LogStartOffset;
        return result;
    }

    private ErrorCode Refusal(short version, ProduceRequest request, string topicName, ProduceRequest.PartitionProduceData data, out Partition? partition, out EffectiveTopicConfig? config)
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
        if (request.TransactionalId is not null)
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

    /// <summary>LogAppendTime: the broker's clock becomes the batch's max timestamp; attributes change, so does the CRC.</summary>
    private static void StampLogAppendTime(Span<byte> batch, long now)
    {
        var attributes = System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchLayout.Attributes..]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchLayout.Attributes..], (short)(attributes | RecordBatchAttributes.TimestampTypeLogAppendTime));
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchLayout.MaxTimestamp..], now);
        RecordBatchBuilder.RewriteCrc(batch);
    }
}
