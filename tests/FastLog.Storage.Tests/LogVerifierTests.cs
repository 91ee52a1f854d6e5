using System.Buffers.Binary;
using System.Text;
using FastLog.Protocol.Records;
using FastLog.Storage.Files;
using FastLog.Storage.Segments;
using FastLog.Storage.Verification;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Storage.Tests;

public sealed class LogVerifierTests : IDisposable
{
    private static readonly TopicPartition Partition = new("verify", 0);

    private static readonly LogConfig SmallSegments = new()
    {
        SegmentBytes = 4096,
        IndexIntervalBytes = 256,
        MaxIndexBytes = 4096,
    };

    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "fastlog-tests", Guid.NewGuid().ToString("N"));
    private readonly FileCache _cache = new(64);

    public LogVerifierTests() => Directory.CreateDirectory(_dataDir);

    private string PartitionDir => Path.Combine(_dataDir, Partition.DirectoryName);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Clean_log_verifies_ok_with_counts()
    {
        WriteLog(batches: 40, recordsPerBatch: 5);

        var result = LogVerifier.VerifyPartitionDirectory(PartitionDir);

        Assert.True(result.IsOk, result.Problem?.ToString());
        Assert.Equal(1, result.Partitions);
        Assert.Equal(Directory.GetFiles(PartitionDir, "*.log").Length, result.Segments);
        Assert.True(result.Segments > 2);
        Assert.Equal(40, result.Batches);
        Assert.Equal(200, result.Records);
        Assert.Equal(Directory.GetFiles(PartitionDir, "*.log").Sum(f => new FileInfo(f).Length), result.Bytes);
    }

    [Fact]
    public void Active_segment_with_preallocated_tail_and_index_verifies_ok()
    {
        var log = WriteLog(batches: 30, recordsPerBatch: 3, close: false);
        log.Flush();
        var active = SegmentFileNames.Log(PartitionDir, log.ActiveSegment.BaseOffset);
        Assert.True(new FileInfo(active).Length > log.ActiveSegment.Size);

        var result = LogVerifier.VerifyDataDirectory(_dataDir);

        Assert.True(result.IsOk, result.Problem?.ToString());
        Assert.Equal(30, result.Batches);
        Assert.Equal(log.SizeInBytes, result.Bytes);
    }

    [Fact]
    public void Bit_flip_in_a_rolled_segment_is_reported_with_its_batch_offset_and_position()
    {
        WriteLog(batches: 40, recordsPerBatch: 5);
        var rolled = SegmentFiles()[0];
        var batches = BatchesIn(rolled);
        var target = batches[batches.Count / 2];
        FlipByte(rolled, target.Position + target.Size / 2);

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(rolled, problem.File);
        Assert.Equal(VerificationFileKind.Batch, problem.Kind);
        Assert.Equal(target.BaseOffset, problem.Offset);
        Assert.Equal(target.Position, problem.Position);
        Assert.Contains("crc", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_tail_is_reported()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var last = SegmentFiles()[^1];
        var lastBatch = BatchesIn(last)[^1];
        using (var stream = new FileStream(last, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }

        var result = LogVerifier.VerifyPartitionDirectory(PartitionDir);

        Assert.NotNull(result.Problem);
        Assert.Equal(last, result.Problem.File);
        Assert.Equal(lastBatch.BaseOffset, result.Problem.Offset);
        Assert.Equal(lastBatch.Position, result.Problem.Position);
        Assert.StartsWith("truncated", result.Problem.Reason, StringComparison.Ordinal);
        Assert.Equal(19, result.Batches);
    }

    [Fact]
    public void Zeros_after_the_data_of_a_rolled_segment_are_reported()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var rolled = SegmentFiles()[0];
        var length = new FileInfo(rolled).Length;
        using (var stream = new FileStream(rolled, FileMode.Open))
        {
            stream.SetLength(length + 100);
        }

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(rolled, problem.File);
        Assert.Equal(length, problem.Position);
        Assert.StartsWith("untrimmed", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_in_place_of_a_log_are_reported_without_throwing()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var first = SegmentFiles()[0];
        File.WriteAllBytes(first, RandomBytes(8192, seed: 1));

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(first, problem.File);
        Assert.Equal(VerificationFileKind.Batch, problem.Kind);
        Assert.Equal(0, problem.Position);
    }

    [Theory]
    [InlineData(800)]
    [InlineData(803)]
    public void Random_bytes_in_place_of_an_index_are_reported_without_throwing(int length)
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var index = Path.ChangeExtension(SegmentFiles()[0], SegmentFileNames.IndexSuffix);
        File.WriteAllBytes(index, RandomBytes(length, seed: 2));

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(index, problem.File);
        Assert.Equal(VerificationFileKind.Index, problem.Kind);
    }

    [Fact]
    public void Index_entry_pointing_between_batches_is_reported()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var index = Path.ChangeExtension(SegmentFiles()[0], SegmentFileNames.IndexSuffix);
        var bytes = File.ReadAllBytes(index);
        Assert.True(bytes.Length >= 16, "the test needs an index with two entries");
        var offset = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        var position = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), position + 1);
        File.WriteAllBytes(index, bytes);

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(VerificationFileKind.Index, problem.Kind);
        Assert.Equal(offset, problem.Offset); // the first segment's base offset is 0
        Assert.Equal(8, problem.Position);
        Assert.Contains("no batch starts", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_index_entries_before_a_real_entry_are_not_taken_for_a_preallocated_tail()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var index = Path.ChangeExtension(SegmentFiles()[0], SegmentFileNames.IndexSuffix);
        var bytes = File.ReadAllBytes(index);
        Assert.True(bytes.Length >= 24, "the test needs an index with three entries");
        bytes.AsSpan(0, 16).Clear();
        File.WriteAllBytes(index, bytes);

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(VerificationFileKind.Index, problem.Kind);
        Assert.Equal(8, problem.Position);
        Assert.Contains("not ascending", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_index_going_backwards_is_reported()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var timeIndex = Path.ChangeExtension(SegmentFiles()[0], SegmentFileNames.TimeIndexSuffix);
        var bytes = File.ReadAllBytes(timeIndex);
        Assert.True(bytes.Length >= 24, "the test needs a time index with two entries");
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(12), BinaryPrimitives.ReadInt64BigEndian(bytes) - 1);
        File.WriteAllBytes(timeIndex, bytes);

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(timeIndex, problem.File);
        Assert.Equal(VerificationFileKind.TimeIndex, problem.Kind);
        Assert.Equal(12, problem.Position);
    }

    [Fact]
    public void Missing_time_index_is_reported_as_an_index_problem()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var timeIndex = Path.ChangeExtension(SegmentFiles()[1], SegmentFileNames.TimeIndexSuffix);
        File.Delete(timeIndex);

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(VerificationFileKind.TimeIndex, problem.Kind);
        Assert.StartsWith("missing", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_offset_below_the_previous_batch_is_reported()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var first = SegmentFiles()[0];
        var second = BatchesIn(first)[1];
        // The base offset is outside the CRC, so the batch still validates: only the order check can catch it.
        var bytes = File.ReadAllBytes(first);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan((int)second.Position), 2);
        File.WriteAllBytes(first, bytes);

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;

        Assert.NotNull(problem);
        Assert.Equal(2, problem.Offset);
        Assert.Equal(second.Position, problem.Position);
        Assert.Contains("below the expected next offset 5", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_batch_length_is_reported_as_truncated_without_a_large_allocation()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var first = SegmentFiles()[0];
        var third = BatchesIn(first)[2];
        var bytes = File.ReadAllBytes(first);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan((int)third.Position + RecordBatchLayout.BatchLength), int.MaxValue);
        File.WriteAllBytes(first, bytes);

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir).Problem;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.NotNull(problem);
        Assert.Equal(third.BaseOffset, problem.Offset);
        Assert.Equal(third.Position, problem.Position);
        Assert.StartsWith("truncated", problem.Reason, StringComparison.Ordinal);
        Assert.True(allocated < 16 * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Batches_larger_than_the_buffer_are_checked_in_chunks()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var options = new LogVerifierOptions { MaxBufferedBatchBytes = 100 };
        Assert.True(LogVerifier.VerifyPartitionDirectory(PartitionDir, options).IsOk);

        var rolled = SegmentFiles()[0];
        var target = BatchesIn(rolled)[1];
        FlipByte(rolled, target.Position + target.Size - 1);

        var problem = LogVerifier.VerifyPartitionDirectory(PartitionDir, options).Problem;
        Assert.NotNull(problem);
        Assert.Equal(target.BaseOffset, problem.Offset);
        Assert.Contains("crc", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_cut_and_many_random_corruptions_give_a_problem_never_an_exception()
    {
        WriteLog(batches: 20, recordsPerBatch: 5);
        var first = SegmentFiles()[0];
        var original = File.ReadAllBytes(first);
        var boundaries = BatchesIn(first).Select(b => (int)b.Position).ToHashSet();

        for (var cut = 1; cut < original.Length; cut++)
        {
            File.WriteAllBytes(first, original[..cut]);
            var result = LogVerifier.VerifyPartitionDirectory(PartitionDir);
            if (!boundaries.Contains(cut))
            {
                Assert.True(result.Problem is { Kind: VerificationFileKind.Batch } && result.Problem.File == first, $"cut at {cut}: {result.Problem}");
            }
        }

        var random = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            var damaged = (byte[])original.Clone();
            var position = random.Next(damaged.Length);
            damaged[position] = (byte)random.Next(256);
            if (damaged[position] == original[position])
            {
                continue;
            }
            File.WriteAllBytes(first, damaged);
            var result = LogVerifier.VerifyPartitionDirectory(PartitionDir);
            // Only the base offset and partition leader epoch lie outside the CRC; a change there may still verify.
            if (!IsOutsideCrc(original, position))
            {
                Assert.True(result.Problem?.File == first, $"byte {position} changed: {result.Problem}");
            }
        }
    }

    [Fact]
    public void Data_dir_checks_every_partition_folder_and_skips_other_folders()
    {
        WriteLog(batches: 10, recordsPerBatch: 2);
        var other = PartitionLog.Create(new TopicPartition("verify", 1), _dataDir, SmallSegments, _cache);
        other.Append(Batch(3));
        other.Close();
        Directory.CreateDirectory(Path.Combine(_dataDir, "not-a-partition"));

        var result = LogVerifier.VerifyDataDirectory(_dataDir);

        Assert.True(result.IsOk, result.Problem?.ToString());
        Assert.Equal(2, result.Partitions);
        Assert.Equal(11, result.Batches);
        Assert.Equal(23, result.Records);
    }

    [Fact]
    public void Missing_directory_is_a_problem_not_an_exception()
    {
        var missing = Path.Combine(_dataDir, "nope");

        Assert.False(LogVerifier.VerifyDataDirectory(missing).IsOk);
        var problem = LogVerifier.VerifyPartitionDirectory(missing).Problem;
        Assert.NotNull(problem);
        Assert.Equal(VerificationFileKind.Directory, problem.Kind);
    }

    private PartitionLog WriteLog(int batches, int recordsPerBatch, bool close = true)
    {
        var log = PartitionLog.Create(Partition, _dataDir, SmallSegments, _cache);
        for (var i = 0; i < batches; i++)
        {
            log.Append(Batch(recordsPerBatch, 1_700_000_000_000 + i * 100L));
        }
        if (close)
        {
            log.Close();
        }
        return log;
    }

    private static byte[] Batch(int records, long timestamp = 1_700_000_000_000) => RecordBatchBuilder.BuildDense(
        new RecordBatchOptions(),
        [.. Enumerable.Range(0, records).Select(i => Record.Create(
            Encoding.UTF8.GetBytes($"key-{i}"),
            Encoding.UTF8.GetBytes($"value-{i} with some padding to fill the segment"),
            timestamp + i))]);

    private List<string> SegmentFiles() => [.. Directory.GetFiles(PartitionDir, "*" + SegmentFileNames.LogSuffix).Order(StringComparer.Ordinal)];

    /// <summary>The batches of a trimmed .log, read with the plain header layout rather than the code under test.</summary>
    private static List<(long Position, long BaseOffset, int Size)> BatchesIn(string logFile) => BatchesIn(File.ReadAllBytes(logFile));

    private static List<(long Position, long BaseOffset, int Size)> BatchesIn(byte[] bytes)
    {
        var batches = new List<(long, long, int)>();
        for (var position = 0; position + RecordBatchLayout.LogOverhead <= bytes.Length;)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + RecordBatchLayout.BatchLength)) + RecordBatchLayout.LogOverhead;
            batches.Add((position, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(position)), size));
            position += size;
        }
        return batches;
    }

    private static bool IsOutsideCrc(byte[] segment, int position)
    {
        foreach (var (start, _, _) in BatchesIn(segment))
        {
            var at = position - start;
            if (at is >= 0 and < RecordBatchLayout.Magic)
            {
                return at is < RecordBatchLayout.BatchLength or >= RecordBatchLayout.PartitionLeaderEpoch;
            }
        }
        return false;
    }

    private static void FlipByte(string file, long position)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = position;
        var value = stream.ReadByte();
        stream.Position = position;
        stream.WriteByte((byte)(value ^ 0x10));
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
