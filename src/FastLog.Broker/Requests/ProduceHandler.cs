using System.Runtime.CompilerServices;
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
public sealed class ProduceHandler(BrokerServices broker) : ApiHandler<ProduceRequest>
{
    private const short FirstRecordBatchV2Version = 3;

    public override short MinVersion => FirstRecordBatchV2Version;
    public override short AdvertisedMinVersion => 0;

    protected override ValueTask<Response> HandleAsync(RequestContext context, ProduceRequest request, CancellationToken cancellation)
    {
        // Everything up to the publish into the rings runs before the first await: the connection starts its
        // next request only after this returns, so the appends of one connection keep their request order.
        var version = Version(context);
        var response = new ProduceResponse();
        var waiting = new List<(ProduceResponse.PartitionProduceResponse Result, AppendCompletion Completion, bool LogAppendTime, long NowMs)>();
        foreach (var topic in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            response.Responses.Add(topicResponse);
            foreach (var partition in topic.PartitionData)
            {
                var result = new ProduceResponse.PartitionProduceResponse { Index = partition.Index, BaseOffset = -1 };
                topicResponse.PartitionResponses.Add(result);
                if (Submit(version, request, topic.Name, partition, result) is { } submitted)
                {
                    waiting.Add((result, submitted.Completion, submitted.LogAppendTime, submitted.NowMs));
                }
            }
        }
        if (waiting.Count == 0)
        {
            return ValueTask.FromResult(request.Acks == 0 ? Response.None : Response.Of(response));
        }
        // acks=0 gets no answer (as in Kafka), but still waits: the batches live in the request buffer, which
        // goes back to the pool only once the writer is done with it.
        return AwaitAppendsAsync(response, waiting, answer: request.Acks != 0);
    }

    // Awaited once, by the dispatcher: a pooled state machine, not one allocated per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Response> AwaitAppendsAsync(ProduceResponse response, List<(ProduceResponse.PartitionProduceResponse Result, AppendCompletion Completion, bool LogAppendTime, long NowMs)> waiting, bool answer)
    {
        foreach (var (result, completion, logAppendTime, now) in waiting)
        {
            var outcome = await completion.Outcome.ConfigureAwait(false);
            result.ErrorCode = (short)outcome.Error;
            result.LogStartOffset = outcome.LogStartOffset;
            if (outcome.Error == ErrorCode.None && outcome.First is { } first)
            {
                result.BaseOffset = first.BaseOffset;
                // A duplicate reports the original append's time, as Kafka does.
                result.LogAppendTimeMs = logAppendTime ? (first.Status == AppendStatus.Duplicate ? first.Timestamp : now) : -1;
            }
        }
        return answer ? Response.Of(response) : Response.None;
    }

    /// <summary>Validates one partition's batches and publishes them to its device's ring; null when refused.</summary>
    private (AppendCompletion Completion, bool LogAppendTime, long NowMs)? Submit(short version, ProduceRequest request, string topicName, ProduceRequest.PartitionProduceData data, ProduceResponse.PartitionProduceResponse result)
    {
        var error = Refusal(version, request, topicName, data, out var partition, out var config);
        if (error != ErrorCode.None)
        {
            result.ErrorCode = (short)error;
            return null;
        }

        // The request buffer is ours until the response is sent: offsets and, for LogAppendTime topics, the
        // timestamps are stamped into the batches in place when they are written.
        var records = MemoryMarshal.AsMemory(data.Records!.Value.Memory);
        var validation = ValidateBatches(records.Span, config!.MaxMessageBytes);
        if (validation == ErrorCode.None && config.CleanupPolicy.HasFlag(CleanupPolicy.Compact) && !RecordKeys.AllHaveKeys(records.Span))
        {
            validation = ErrorCode.InvalidRecord; // Kafka: compacted topics accept only keyed records
        }
        if (validation != ErrorCode.None)
        {
            result.ErrorCode = (short)validation;
            return null;
        }

        var pipeline = partition!.Pipeline ?? throw new InvalidOperationException($"{partition.Id} has no append pipeline");
        var completion = AppendCompletion.Rent();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var logAppendTime = config.MessageTimestampType == MessageTimestampType.LogAppendTime;
        var sequence = pipeline.Claim();
        var entry = pipeline.Ring[sequence];
        entry.Partition = partition;
        entry.Records = records;
        entry.LogAppendTime = logAppendTime;
        entry.NowMs = now;
        entry.Completion = completion;
        pipeline.Ring.Publish(sequence);
        return (completion, logAppendTime, now);
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
}
