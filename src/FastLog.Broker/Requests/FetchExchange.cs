using FastLog.Broker.Fetch;
using FastLog.Broker.Network;
using FastLog.Broker.Partitions;
using FastLog.Protocol.Messages;
using FastLog.Storage;
using Microsoft.Extensions.ObjectPool;

namespace FastLog.Broker.Requests;

/// <summary>
/// One fetch request from its decoding to its response, in a pooled object, so that a fetch allocates nothing in
/// steady state: the decoded fields (topic names are the strings of earlier requests), each partition's result and
/// file region, the long poll (<see cref="LongPoll"/>) and the encoded response. It reads Fetch v4-v11 (none is
/// flexible) and writes the response at the same version, field for field as the generated
/// <see cref="FetchResponse"/> does (the tests compare them).
/// The response's records are spliced in as references to this object's <see cref="FileRegionRecords"/>, which the
/// send reads: it goes back to the pool only once the response is sent (<see cref="Release"/>).
/// </summary>
internal sealed class FetchExchange : IMessage, IReleasableMessage
{
    private static readonly ObjectPool<FetchExchange> Pool =
        new DefaultObjectPool<FetchExchange>(new DefaultPooledObjectPolicy<FetchExchange>(), maximumRetained: 1024);

    private static readonly PartitionReader<PartitionWork> ReadPartition = static (ref ProtocolReader reader, short version) => new PartitionWork
    {
        Index = reader.ReadInt32(),
        CurrentLeaderEpoch = version >= 9 ? reader.ReadInt32() : -1,
        FetchOffset = reader.ReadInt64(),
        ClientLogStartOffset = version >= 5 ? reader.ReadInt64() : -1,
        PartitionMaxBytes = reader.ReadInt32(),
    };

    private readonly RequestSlots<PartitionWork> _slots = new();
    private FileRegionRecords?[] _records = new FileRegionRecords?[4]; // one per slot, kept across uses

    public FetchExchange() => LongPoll = new FetchLongPoll(this);

    public int ReplicaId { get; private set; }
    public int MaxWaitMs { get; private set; }
    public int MinBytes { get; private set; }
    public int MaxBytes { get; private set; }
    public sbyte IsolationLevel { get; private set; }
    public int SessionId { get; private set; }
    public int SessionEpoch { get; private set; }

    /// <summary>When the long poll gives up waiting for <see cref="MinBytes"/> (the purgatory's clock).</summary>
    public long DeadlineMs { get; set; }

    /// <summary>The wait for appends or the deadline, when the first read did not answer the fetch.</summary>
    public FetchLongPoll LongPoll { get; }

    public int TopicCount => _slots.TopicCount;
    public TopicSlice Topic(int index) => _slots.Topic(index);
    public int PartitionCount => _slots.PartitionCount;

    /// <summary>A partition's fields and result, by position in the request (topics' partitions back to back).</summary>
    public ref PartitionWork Partition(int index) => ref _slots.Partition(index);

    public struct PartitionWork
    {
        // What the client asked.
        public int Index;
        public int CurrentLeaderEpoch;
        public long FetchOffset;
        public long ClientLogStartOffset;
        public int PartitionMaxBytes;

        // The answer of the latest read.
        public short ErrorCode;
        public long HighWatermark;
        public long LastStableOffset;
        public long LogStartOffset;
        public FileRegion Region;

        // The long poll: the partition to watch when the read found nothing (and the high watermark it saw), and
        // the partition a wait watches.
        public Partition? WaitOn;
        public long ObservedHighWatermark;
        public Partition? Watched;
    }

    /// <summary>A decoded request; a malformed body throws <see cref="ProtocolException"/> and nothing is kept.</summary>
    public static FetchExchange Decode(ReadOnlyMemory<byte> body, short version) => PooledRequest.Decode(Pool, body, version);

    public void Read(ref ProtocolReader reader, short version)
    {
        if (FetchRequest.IsFlexible(version) || version < FetchRequest.LowestVersion || version > FetchRequest.HighestVersion)
        {
            throw new ProtocolException($"Fetch v{version} is not one this codec reads (v{FetchRequest.LowestVersion}-v{FetchRequest.HighestVersion})");
        }
        ReplicaId = reader.ReadInt32();
        MaxWaitMs = reader.ReadInt32();
        MinBytes = reader.ReadInt32();
        MaxBytes = reader.ReadInt32();
        IsolationLevel = reader.ReadInt8();
        SessionId = version >= 7 ? reader.ReadInt32() : 0;
        SessionEpoch = version >= 7 ? reader.ReadInt32() : -1;
        _slots.Read(ref reader, version, ReadPartition, "Topics", "Partitions");
        if (version >= 7)
        {
            SkipForgottenTopics(ref reader); // fetch sessions are not kept: there is nothing to forget
        }
        if (version >= 11 && !reader.TryReadStringBytes(flexible: false, out _))
        {
            throw new ProtocolException("RackId must not be null");
        }
    }

    private static void SkipForgottenTopics(ref ProtocolReader reader)
    {
        var forgotten = reader.ReadArrayCount(flexible: false);
        if (forgotten < 0)
        {
            throw new ProtocolException("ForgottenTopicsData must not be null");
        }
        for (var t = 0; t < forgotten; t++)
        {
            if (!reader.TryReadStringBytes(flexible: false, out _))
            {
                throw new ProtocolException("null where a topic name is required");
            }
            var partitions = reader.ReadArrayCount(flexible: false);
            if (partitions is < 0 or > int.MaxValue / sizeof(int))
            {
                throw new ProtocolException($"forgotten partitions count {partitions}");
            }
            reader.SkipBytes(partitions * sizeof(int));
        }
    }

    /// <summary>The records object the response splices in for slot <paramref name="index"/>, set to its region.</summary>
    private FileRegionRecords RecordsOf(int index)
    {
        if (index >= _records.Length)
        {
            Array.Resize(ref _records, _slots.PartitionCount);
        }
        var records = _records[index] ??= new FileRegionRecords();
        records.Region = _slots.Partition(index).Region;
        return records;
    }

    /// <summary>The response at the request's version: what <see cref="FetchResponse"/> would write.</summary>
    public void Write(ProtocolWriter writer, short version)
    {
        writer.WriteInt32(0); // throttle_time_ms: no quotas
        if (version >= 7)
        {
            writer.WriteInt16(0); // no request-level error
            writer.WriteInt32(0); // session id 0: fetch sessions are not kept, clients send full fetches
        }
        writer.WriteArrayCount(_slots.TopicCount, flexible: false);
        for (var t = 0; t < _slots.TopicCount; t++)
        {
            var topic = _slots.Topic(t);
            writer.WriteString(topic.Name, flexible: false);
            writer.WriteArrayCount(topic.Count, flexible: false);
            for (var i = topic.First; i < topic.First + topic.Count; i++)
            {
                ref var partition = ref _slots.Partition(i);
                writer.WriteInt32(partition.Index);
                writer.WriteInt16(partition.ErrorCode);
                writer.WriteInt64(partition.HighWatermark);
                writer.WriteInt64(partition.LastStableOffset);
                if (version >= 5)
                {
                    writer.WriteInt64(partition.LogStartOffset);
                }
                writer.WriteArrayCount(-1, flexible: false); // aborted transactions: none without transactions
                if (version >= 11)
                {
                    writer.WriteInt32(-1); // preferred read replica: none
                }
                if (partition.Region.IsEmpty)
                {
                    // Never null, even beside an error: librdkafka rejects a null record set
                    // ("invalid MessageSetSize -1"); Kafka sends an empty one.
                    writer.WriteNullableBytes(ReadOnlyMemory<byte>.Empty, flexible: false);
                }
                else
                {
                    writer.WriteExternalRecords(RecordsOf(i), flexible: false);
                }
            }
        }
    }

    /// <summary>The response is sent (or never will be): nothing refers to this object's records any more.</summary>
    public void Release()
    {
        Reset();
        Pool.Return(this);
    }

    private void Reset()
    {
        // No segment stays reachable from the pool through a records object either.
        for (var i = 0; i < Math.Min(_slots.PartitionCount, _records.Length); i++)
        {
            if (_records[i] is { } records)
            {
                records.Region = default;
            }
        }
        if (_records.Length > RequestSlots<PartitionWork>.MaxRetained)
        {
            _records = new FileRegionRecords?[4];
        }
        _slots.Clear();
        LongPoll.Reset();
    }
}
