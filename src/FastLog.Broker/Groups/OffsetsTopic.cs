using System.Buffers.Binary;
using FastLog.Broker.Metadata;
using FastLog.Broker.Partitions;
using FastLog.Protocol.Messages;
using FastLog.Protocol.Records;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Broker.Groups;

/// <summary>
/// The internal topic __consumer_offsets, where groups keep their committed offsets and metadata as records in
/// Kafka's own layout. A group lives in partition abs(hash(group id)) mod N, as Kafka places it, so the records
/// of one group stay in order. Each write is flushed before the request that caused it is answered.
/// </summary>
/// <param name="segmentBytes">offsets.topic.segment.bytes: smaller than other topics' segments, so the cleaner (which never
/// touches the active segment) gets to compact the commits soon (Kafka's default: 100 MiB).</param>
public sealed class OffsetsTopic(IMetadataStore metadata, ReplicaManager replicas, int partitionCount, int segmentBytes = OffsetsTopic.DefaultSegmentBytes)
{
    public const string Name = "__consumer_offsets";
    public const int DefaultSegmentBytes = 100 * 1024 * 1024;

    private const short OffsetKeyVersion = 1;
    private const short OffsetValueVersion = 3;
    private const short GroupKeyVersion = 2;
    private const short GroupValueVersion = 3;

    public int PartitionCount { get; private set; } = partitionCount;

    /// <summary>Creates the topic on first start (compacted, as Kafka's); an existing topic keeps its partition count.</summary>
    public void Ensure()
    {
        if (metadata.GetTopic(Name) is { } existing)
        {
            PartitionCount = existing.PartitionCount;
            replicas.Host(existing);
            return;
        }
        var created = metadata.CreateTopic(Name, PartitionCount, 1, new Dictionary<string, string>
        {
            ["cleanup.policy"] = "compact",
            ["segment.bytes"] = segmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        replicas.Host(created);
    }

    /// <summary>Kafka's placement: Utils.abs(groupId.hashCode()) % partitions, with Java's String.hashCode.</summary>
    public static int PartitionFor(string groupId, int partitionCount)
    {
        var hash = 0;
        foreach (var c in groupId)
        {
            hash = unchecked((31 * hash) + c);
        }
        // Kafka's Utils.abs maps int.MinValue to 0 (Math.Abs would overflow), not a bit mask.
        return (hash == int.MinValue ? 0 : Math.Abs(hash)) % partitionCount;
    }

    public void WriteOffsets(string groupId, IReadOnlyList<(string Topic, int Partition, CommittedOffset? Offset)> offsets)
    {
        var records = new List<Record>(offsets.Count);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var (topic, partition, offset) in offsets)
        {
            var key = Encode(new OffsetCommitKey { Group = groupId, Topic = topic, Partition = partition }, OffsetKeyVersion);
            var value = offset is null ? null : Encode(new OffsetCommitValue
            {
                Offset = offset.Offset,
                LeaderEpoch = offset.LeaderEpoch,
                Metadata = offset.Metadata ?? "",
                CommitTimestamp = offset.CommitTimestampMs,
            }, OffsetValueVersion);
            records.Add(new Record(0, now, key, value, []));
        }
        Append(groupId, records);
    }

    /// <summary>Writes the group's generation, protocol, leader and members; null writes its tombstone.</summary>
    public void WriteGroup(string groupId, GroupMetadataValue? group)
    {
        var key = Encode(new GroupMetadataKey { Group = groupId }, GroupKeyVersion);
        var value = group is null ? null : Encode(group, GroupValueVersion);
        Append(groupId, [new Record(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), key, value, [])]);
    }

    /// <summary>Every record of one partition, oldest first, decoded into offset commits and group metadata.</summary>
    public IEnumerable<LoadedRecord> Load(int partition)
    {
        var log = replicas.Get(Name, partition)?.Log;
        if (log is null)
        {
            yield break;
        }
        var offset = log.LogStartOffset;
        var end = log.LogEndOffset;
        while (offset < end)
        {
            var region = log.Read(offset, 1 << 20);
            if (region.IsEmpty)
            {
                break;
            }
            var bytes = region.ToArray();
            for (var position = 0; position < bytes.Length;)
            {
                var header = RecordBatchHeader.Read(bytes.AsSpan(position));
                if (!header.IsControl)
                {
                    foreach (var record in RecordBatchReader.ReadRecords(bytes.AsSpan(position, header.TotalSize)))
                    {
                        if (Decode(record) is { } loaded)
                        {
                            yield return loaded;
                        }
                    }
                }
                offset = header.NextOffset;
                position += header.TotalSize;
            }
        }
    }

    private void Append(string groupId, List<Record> records)
    {
        var partition = replicas.Get(Name, PartitionFor(groupId, PartitionCount))
            ?? throw new InvalidOperationException($"{Name} is not hosted");
        var batch = RecordBatchBuilder.BuildDense(new RecordBatchOptions(), records);
        partition.Log.Append(batch, Partition.LeaderEpoch);
        partition.AdvanceHighWatermark(partition.Log.Flush());
    }

    private static LoadedRecord? Decode(Record record)
    {
        if (record.Key is not { Length: >= 2 } key)
        {
            return null;
        }
        var version = BinaryPrimitives.ReadInt16BigEndian(key);
        var keyReader = new ProtocolReader(key.AsMemory(2));
        if (version is 0 or 1)
        {
            var offsetKey = new OffsetCommitKey();
            offsetKey.Read(ref keyReader, version);
            CommittedOffset? value = null;
            if (record.Value is { Length: >= 2 } bytes)
            {
                var valueVersion = BinaryPrimitives.ReadInt16BigEndian(bytes);
                var valueReader = new ProtocolReader(bytes.AsMemory(2));
                var decoded = new OffsetCommitValue();
                decoded.Read(ref valueReader, Math.Min(valueVersion, OffsetValueVersion));
                value = new CommittedOffset(decoded.Offset, decoded.LeaderEpoch, decoded.Metadata, decoded.CommitTimestamp);
            }
            return new LoadedRecord(offsetKey.Group, (offsetKey.Topic, offsetKey.Partition), value, null, record.Value is null);
        }
        if (version == GroupKeyVersion)
        {
            var groupKey = new GroupMetadataKey();
            groupKey.Read(ref keyReader, version);
            GroupMetadataValue? group = null;
            if (record.Value is { Length: >= 2 } bytes)
            {
                var valueVersion = BinaryPrimitives.ReadInt16BigEndian(bytes);
                var valueReader = new ProtocolReader(bytes.AsMemory(2));
                group = new GroupMetadataValue();
                group.Read(ref valueReader, Math.Min(valueVersion, GroupValueVersion));
            }
            return new LoadedRecord(groupKey.Group, null, null, group, record.Value is null);
        }
        return null; // newer record kinds (consumer protocol of KIP-848) are not ours to read
    }

    private static byte[] Encode(IMessage message, short version)
    {
        var writer = new ProtocolWriter(128);
        writer.WriteInt16(version);
        message.Write(writer, version);
        var bytes = writer.Buffered.ToArray();
        writer.Release();
        return bytes;
    }
}

/// <summary>One record of __consumer_offsets: an offset commit (or its tombstone) or a group's metadata (or its tombstone).</summary>
public sealed record LoadedRecord(string GroupId, (string Topic, int Partition)? OffsetKey, CommittedOffset? Offset, GroupMetadataValue? Group, bool IsTombstone);
