using System.Text;
using FastLog.Protocol.Records;
using FastLog.Storage.Files;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Storage.Tests;

/// <summary>A temp folder per test, removed afterwards, so tests run in parallel without sharing files.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "fastlog-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A clock the test moves by hand (segment.ms rolls).</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}

public static class TestBatches
{
    public const long BaseTimestamp = 1_700_000_000_000;

    /// <summary>A producer's batch (offsets from 0) of <paramref name="records"/> records.</summary>
    public static byte[] Make(int records, int valueBytes = 50, long timestamp = BaseTimestamp, CompressionType compression = CompressionType.None, string keyPrefix = "key")
    {
        var list = Enumerable.Range(0, records)
            .Select(i => new Record(i, timestamp + i, Encoding.UTF8.GetBytes($"{keyPrefix}-{i}"), Value(i, valueBytes), []))
            .ToList();
        return RecordBatchBuilder.Build(new RecordBatchOptions { Compression = compression }, list);
    }

    private static byte[] Value(int i, int bytes)
    {
        var value = new byte[bytes];
        for (var b = 0; b < bytes; b++)
        {
            value[b] = (byte)('a' + (i + b) % 26);
        }
        return value;
    }

    public static LogConfig SmallSegments(int segmentBytes = 4096, SegmentPreallocation preallocation = SegmentPreallocation.ZeroAhead) => new()
    {
        SegmentBytes = segmentBytes,
        IndexIntervalBytes = 256,
        MaxIndexBytes = 4096,
        Preallocation = preallocation,
    };

    public static FileCache Cache(int capacity = 64) => new(capacity);

    /// <summary>Every batch of the log from its start, as (base offset, bytes).</summary>
    public static List<(long BaseOffset, byte[] Bytes)> ReadAll(PartitionLog log)
    {
        var batches = new List<(long, byte[])>();
        var offset = log.LogStartOffset;
        while (offset < log.LogEndOffset)
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
                batches.Add((header.BaseOffset, bytes.AsSpan(position, header.TotalSize).ToArray()));
                position += header.TotalSize;
                offset = header.NextOffset;
            }
        }
        return batches;
    }
}

/// <summary>Tests that count process-wide resources (open descriptors) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial";
}
