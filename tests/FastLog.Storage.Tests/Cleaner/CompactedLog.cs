using System.Text;
using FastLog.Protocol.Records;
using FastLog.Storage.Cleaner;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Storage.Tests.Cleaner;

/// <summary>A log of keyed records in small segments, with what a reader from its start should see.</summary>
internal sealed class CompactedLog
{
    public const long Now = TestBatches.BaseTimestamp + 3_600_000;

    public CompactedLog(string dataDir, int segmentBytes = 4096, string topic = "compacted", long fileDeleteDelayMs = 60_000)
    {
        var config = TestBatches.SmallSegments(segmentBytes) with { FileDeleteDelayMs = fileDeleteDelayMs };
        Log = PartitionLog.Create(new TopicPartition(topic, 0), dataDir, config, TestBatches.Cache());
    }

    public PartitionLog Log { get; }

    /// <summary>The latest value appended per key (null for a tombstone), with its offset.</summary>
    public Dictionary<string, (long Offset, string? Value)> Latest { get; } = [];

    public static string Key(int key) => $"key-{key:D4}";

    /// <summary>Appends one batch of (key, value) records; a null value is a tombstone, a null key a keyless record.</summary>
    public long Append(IEnumerable<(string? Key, string? Value)> records, CompressionType compression = CompressionType.None, long timestamp = TestBatches.BaseTimestamp, RecordBatchOptions? options = null)
    {
        var list = records.Select((r, i) => new Record(i, timestamp, r.Key is null ? null : Encoding.UTF8.GetBytes(r.Key), r.Value is null ? null : Encoding.UTF8.GetBytes(r.Value), [])).ToList();
        var batch = RecordBatchBuilder.Build((options ?? new RecordBatchOptions()) with { Compression = compression }, list);
        var baseOffset = Log.Append(batch);
        var header = RecordBatchHeader.Read(batch);
        if (!header.IsTransactional && !header.IsControl)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].Key is { } key)
                {
                    Latest[Encoding.UTF8.GetString(key)] = (baseOffset + i, list[i].Value is null ? null : Encoding.UTF8.GetString(list[i].Value!));
                }
            }
        }
        Log.HighWatermark = Log.LogEndOffset;
        return baseOffset;
    }

    /// <summary>Every key updated <paramref name="rounds"/> times, <paramref name="perBatch"/> records a batch.</summary>
    public void AppendRounds(int keys, int rounds, int perBatch = 10, CompressionType compression = CompressionType.None)
    {
        for (var round = 0; round < rounds; round++)
        {
            for (var first = 0; first < keys; first += perBatch)
            {
                Append(Enumerable.Range(first, Math.Min(perBatch, keys - first)).Select(k => ((string?)Key(k), (string?)$"v{round}-{k}")), compression);
            }
        }
    }

    /// <summary>Rolls so everything appended is cleanable, and cleans with the given map size.</summary>
    public CleanResult RollAndClean(long nowMs = Now, long deleteRetentionMs = 86_400_000, long minCompactionLagMs = 0, long mapBytes = 1 << 20, long firstDirty = -1)
    {
        Log.Roll();
        Log.HighWatermark = Log.LogEndOffset;
        return Clean(nowMs, deleteRetentionMs, minCompactionLagMs, mapBytes, firstDirty);
    }

    public CleanResult Clean(long nowMs = Now, long deleteRetentionMs = 86_400_000, long minCompactionLagMs = 0, long mapBytes = 1 << 20, long firstDirty = -1)
    {
        var cleaner = new LogCleaner(new OffsetMap(mapBytes), new Throttler(double.MaxValue));
        return cleaner.Clean(Log, firstDirty, new CompactionSettings { NowMs = nowMs, DeleteRetentionMs = deleteRetentionMs, MinCompactionLagMs = minCompactionLagMs });
    }

    /// <summary>Every record a consumer from the log start reads, in order.</summary>
    public static List<Record> ReadRecords(PartitionLog log) =>
        [.. TestBatches.ReadAll(log).SelectMany(b => RecordBatchReader.ReadRecords(b.Bytes))];

    /// <summary>The data records a consumer gets, without the transaction markers' control records.</summary>
    public static List<Record> ReadDataRecords(PartitionLog log) =>
        [.. TestBatches.ReadAll(log).Where(b => !RecordBatchHeader.Read(b.Bytes).IsControl).SelectMany(b => RecordBatchReader.ReadRecords(b.Bytes))];

    public static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);
}
