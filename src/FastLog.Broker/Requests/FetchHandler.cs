using FastLog.Broker.Fetch;
using FastLog.Broker.Network;
using FastLog.Broker.Partitions;
using FastLog.Protocol.Messages;
using FastLog.Storage;
using FastLog.Storage.Segments;

namespace FastLog.Broker.Requests;

/// <summary>
/// Fetch for consumers: batches below the high watermark, within the partition and response byte limits, and
/// a long poll of up to max.wait.ms until min.bytes are there. Without transactions the last stable offset is
/// the high watermark. Fetch sessions are not kept: session id 0 tells clients to send full fetches.
/// </summary>
public sealed class FetchHandler(BrokerServices broker) : ApiHandler<FetchRequest>
{
    private static readonly RecordsPayload NoRecords = new(ReadOnlyMemory<byte>.Empty);

    protected override ValueTask<Response> HandleAsync(RequestContext context, FetchRequest request, CancellationToken cancellation)
    {
        // A fetch that can be answered at once (data there, or no wait asked) takes no async state machine, no
        // closures and no wait list: only a long poll that has to wait pays for them.
        var deadline = Timers.TimerWheel.NowMs + Math.Max(0, request.MaxWaitMs);
        List<Task>? waitFor = null;
        var (response, bytes) = ReadOnce(request, ref waitFor);
        return Answered(request, response, bytes, deadline, waitFor)
            ? ValueTask.FromResult(Response.Of(response))
            : LongPollAsync(request, deadline, waitFor!, cancellation);
    }

    private static bool Answered(FetchRequest request, FetchResponse response, long bytes, long deadline, List<Task>? waitFor) =>
        bytes >= request.MinBytes || deadline - Timers.TimerWheel.NowMs <= 0 || waitFor is null || response.ErrorCode != 0;

    private async ValueTask<Response> LongPollAsync(FetchRequest request, long deadline, List<Task> waitFor, CancellationToken cancellation)
    {
        while (true)
        {
            // Wait for an append to any fetched partition, or the deadline on the purgatory's wheel; then read again.
            var expired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var timer = broker.Purgatory.Schedule(deadline, () => expired.TrySetResult());
            using (cancellation.Register(() => expired.TrySetCanceled(cancellation)))
            {
                waitFor.Add(expired.Task);
                await Task.WhenAny(waitFor).ConfigureAwait(false);
            }
            timer.Cancel();
            cancellation.ThrowIfCancellationRequested();

            List<Task>? next = null;
            var (response, bytes) = ReadOnce(request, ref next);
            if (Answered(request, response, bytes, deadline, next))
            {
                return Response.Of(response);
            }
            waitFor = next!;
        }
    }

    private (FetchResponse Response, long Bytes) ReadOnce(FetchRequest request, ref List<Task>? waitFor)
    {
        var response = new FetchResponse();
        var budget = request.MaxBytes <= 0 ? int.MaxValue : request.MaxBytes;
        long total = 0;
        foreach (var topic in request.Topics)
        {
            var topicResponse = new FetchResponse.FetchableTopicResponse { Topic = topic.Topic };
            response.Responses.Add(topicResponse);
            foreach (var fetch in topic.Partitions)
            {
                // Records are never null, even beside an error: librdkafka rejects a null record set
                // ("invalid MessageSetSize -1"); Kafka sends an empty one.
                var data = new FetchResponse.PartitionData
                {
                    PartitionIndex = fetch.Partition,
                    HighWatermark = -1,
                    LastStableOffset = -1,
                    LogStartOffset = -1,
                    AbortedTransactions = null,
                    Records = NoRecords,
                };
                topicResponse.Partitions.Add(data);
                var partition = broker.Replicas.Get(topic.Topic, fetch.Partition);
                if (partition is null)
                {
                    data.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    continue;
                }
                var appended = partition.NextAppend; // before the high watermark is read: see there
                var highWatermark = partition.HighWatermark;
                data.HighWatermark = highWatermark;
                data.LastStableOffset = highWatermark;
                data.LogStartOffset = partition.LogStartOffset;
                if (fetch.FetchOffset < partition.LogStartOffset || fetch.FetchOffset > partition.LogEndOffset)
                {
                    data.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
                    continue;
                }
                var limit = (int)Math.Min(Math.Max(fetch.PartitionMaxBytes, 0), budget);
                var region = Read(partition, fetch.FetchOffset, limit, minOneBatch: total == 0, highWatermark, out var error);
                data.ErrorCode = (short)error;
                if (region.IsEmpty)
                {
                    (waitFor ??= []).Add(appended);
                    continue;
                }
                data.Records = new RecordsPayload(new FileRegionRecords(region));
                total += region.Length;
                budget -= region.Length;
            }
        }
        return (response, total);
    }

    private static FileRegion Read(Partition partition, long offset, int maxBytes, bool minOneBatch, long highWatermark, out ErrorCode error)
    {
        error = ErrorCode.None;
        if (maxBytes <= 0 && !minOneBatch)
        {
            return FileRegion.Empty;
        }
        try
        {
            return partition.Log.Read(offset, Math.Max(maxBytes, 1), minOneBatch, highWatermark);
        }
        catch (OffsetOutOfRangeException)
        {
            error = ErrorCode.OffsetOutOfRange; // retention moved the log start between the check and the read
        }
        catch (CorruptBatchException)
        {
            error = ErrorCode.KafkaStorageError; // never serve a corrupt batch
        }
        return FileRegion.Empty;
    }
}
