using FastLog.Broker.Network;
using FastLog.Broker.Partitions;
using FastLog.Broker.Timers;
using FastLog.Protocol.Messages;
using FastLog.Storage;
using FastLog.Storage.Segments;

namespace FastLog.Broker.Requests;

/// <summary>
/// Fetch for consumers: batches below the high watermark, within the partition and response byte limits, and
/// a long poll of up to max.wait.ms until min.bytes are there. Without transactions the last stable offset is
/// the high watermark. Fetch sessions are not kept: session id 0 tells clients to send full fetches.
/// Requests are decoded into a pooled <see cref="FetchExchange"/> and wait in its <see cref="FetchLongPoll"/>:
/// a fetch allocates nothing in steady state, whether it is answered at once or after a wait.
/// </summary>
public sealed class FetchHandler(BrokerServices broker) : IApiHandler
{
    public short ApiKey => FetchRequest.ApiKey;
    public short MinVersion => FetchRequest.LowestVersion;
    public short MaxVersion => FetchRequest.HighestVersion;
    public short AdvertisedMinVersion => FetchRequest.LowestVersion;

    public bool IsFlexible(short version) => FetchRequest.IsFlexible(version);

    public IMessage Decode(ReadOnlyMemory<byte> body, short version) => FetchExchange.Decode(body, version);

    public ValueTask<Response> HandleAsync(RequestContext context, IMessage request, CancellationToken cancellation)
    {
        var exchange = (FetchExchange)request;
        exchange.DeadlineMs = TimerWheel.NowMs + Math.Max(0, exchange.MaxWaitMs);
        return ReadAndDecide(exchange)
            ? ValueTask.FromResult(Response.Of(exchange))
            : exchange.LongPoll.Start(this, broker, cancellation);
    }

    /// <summary>
    /// Reads every partition of the fetch into its slot; true when that answers it: min.bytes are there, the
    /// deadline passed (or <paramref name="deadlineReached"/>: the purgatory's wheel fired it, which may be up to a
    /// tick before the clock says so), a partition failed (its error goes out at once, as Kafka answers), or nothing
    /// could bring more.
    /// </summary>
    internal bool ReadAndDecide(FetchExchange exchange, bool deadlineReached = false)
    {
        var budget = exchange.MaxBytes <= 0 ? int.MaxValue : exchange.MaxBytes;
        long total = 0;
        var waitable = false;
        var failed = false;
        for (var t = 0; t < exchange.TopicCount; t++)
        {
            var topic = exchange.Topic(t);
            for (var p = topic.First; p < topic.First + topic.Count; p++)
            {
                ref var slot = ref exchange.Partition(p);
                var bytes = ReadPartition(topic.Name, ref slot, budget, minOneBatch: total == 0);
                total += bytes;
                budget -= bytes;
                waitable |= slot.WaitOn is not null;
                failed |= slot.ErrorCode != 0;
            }
        }
        return total >= exchange.MinBytes || deadlineReached || exchange.DeadlineMs - TimerWheel.NowMs <= 0 || !waitable || failed;
    }

    /// <summary>One partition's answer into its slot; the bytes it found.</summary>
    private int ReadPartition(string topic, ref FetchExchange.PartitionWork slot, int budget, bool minOneBatch)
    {
        slot.ErrorCode = 0;
        slot.HighWatermark = -1;
        slot.LastStableOffset = -1;
        slot.LogStartOffset = -1;
        slot.Region = FileRegion.Empty;
        slot.WaitOn = null;
        var partition = broker.Replicas.Get(topic, slot.Index);
        if (partition is null)
        {
            slot.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return 0;
        }
        var highWatermark = partition.HighWatermark;
        slot.HighWatermark = highWatermark;
        slot.LastStableOffset = highWatermark;
        slot.LogStartOffset = partition.LogStartOffset;
        if (slot.FetchOffset < partition.LogStartOffset || slot.FetchOffset > partition.LogEndOffset)
        {
            slot.ErrorCode = (short)ErrorCode.OffsetOutOfRange;
            return 0;
        }
        var limit = (int)Math.Min(Math.Max(slot.PartitionMaxBytes, 0), budget);
        var region = Read(partition, slot.FetchOffset, limit, minOneBatch, highWatermark, out var error);
        slot.ErrorCode = (short)error;
        if (error != ErrorCode.None)
        {
            return 0;
        }
        // An append can bring more, whether this read found some bytes or none: a long poll short of min.bytes
        // watches the partition from the high watermark this read saw, so a move since then is not missed (the
        // watch is refused and the fetch reads again).
        slot.WaitOn = partition;
        slot.ObservedHighWatermark = highWatermark;
        slot.Region = region;
        return region.Length;
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
