using System.Buffers.Binary;
using System.Text;
using FastLog.Protocol.Records;
using FastLog.TestSupport;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Tools.Tests;

public sealed class LogCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fastlog-tests", Guid.NewGuid().ToString("N"));

    public LogCommandTests() => Directory.CreateDirectory(_dir);

    private string DataDir => Path.Combine(_dir, "data");
    private string PartitionDir => Path.Combine(DataDir, "sample-0");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Sample_then_verify_exits_zero()
    {
        var sample = FastlogProcess.Run("log", "sample", DataDir, "--partitions", "2", "--batches", "50", "--records-per-batch", "5");
        Assert.True(sample.ExitCode == 0, sample.ToString());

        var verify = FastlogProcess.Run("log", "verify", DataDir);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.StartsWith("OK:", verify.Output, StringComparison.Ordinal);
        Assert.Contains("2 partitions", verify.Output, StringComparison.Ordinal);
        Assert.Contains("100 batches, 500 records", verify.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public void Compressed_sample_verifies_and_dumps_its_records(string compression)
    {
        Assert.Equal(0, FastlogProcess.Run("log", "sample", DataDir, "--batches", "5", "--records-per-batch", "3", "--compression", compression).ExitCode);

        Assert.Equal(0, FastlogProcess.Run("log", "verify", PartitionDir).ExitCode);
        var dump = FastlogProcess.Run("log", "dump", FirstSegment(), "--records");
        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.All(BatchLines(dump), line => Assert.Contains($"compression: {compression}", line, StringComparison.Ordinal));
        Assert.Equal(15, RecordLines(dump).Length);
    }

    [Fact]
    public void Verify_after_a_corrupt_byte_in_a_rolled_segment_exits_2_and_prints_the_offset()
    {
        Assert.Equal(0, FastlogProcess.Run("log", "sample", DataDir, "--batches", "100", "--segment-bytes", "16384").ExitCode);
        var rolled = FirstSegment();
        Assert.True(Directory.GetFiles(PartitionDir, "*.log").Length > 2);
        var (position, baseOffset, size) = BatchesIn(rolled)[5];
        var bytes = File.ReadAllBytes(rolled);
        bytes[position + size / 2] ^= 0x01;
        File.WriteAllBytes(rolled, bytes);

        var verify = FastlogProcess.Run("log", "verify", DataDir);

        Assert.True(verify.ExitCode == 2, verify.ToString());
        Assert.StartsWith("FAILED: ", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"{rolled} batch offset {baseOffset} position {position}: crc mismatch", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_prints_one_line_per_batch_and_per_record()
    {
        Assert.Equal(0, FastlogProcess.Run("log", "sample", DataDir, "--batches", "12", "--records-per-batch", "4", "--segment-bytes", "1048576").ExitCode);

        var dump = FastlogProcess.Run("log", "dump", FirstSegment(), "--records");

        Assert.True(dump.ExitCode == 0, dump.ToString());
        var batches = BatchLines(dump);
        Assert.Equal(12, batches.Length);
        Assert.StartsWith("baseOffset: 0 lastOffset: 3 count: 4 position: 0 size: ", batches[0], StringComparison.Ordinal);
        Assert.Contains("magic: 2 compression: none crc: 0x", batches[0], StringComparison.Ordinal);
        Assert.Contains("crcValid: true", batches[0], StringComparison.Ordinal);
        Assert.Contains("timestampType: CreateTime", batches[0], StringComparison.Ordinal);
        var records = RecordLines(dump);
        Assert.Equal(48, records.Length);
        Assert.StartsWith("| offset: 0 timestamp: ", records[0], StringComparison.Ordinal);
        Assert.Contains("keySize: 5 valueSize: ", records[0], StringComparison.Ordinal);
        Assert.Contains("headers: source,batch key: key-0 value: value-0 ", records[0], StringComparison.Ordinal);
        Assert.StartsWith("| offset: 47 ", records[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_of_a_cleaned_segment_marks_the_compacted_batches_and_counts_the_offsets_removed()
    {
        Directory.CreateDirectory(PartitionDir);
        Record At(long offset) => new(offset, 1_700_000_000_000, Encoding.UTF8.GetBytes($"key-{offset}"), Encoding.UTF8.GetBytes("v"), []);
        var cleaned = RecordBatchBuilder.Build(new RecordBatchOptions { BaseOffset = 0 }, [At(1), At(4)]); // offsets 0, 2, 3 gone
        var whole = RecordBatchBuilder.Build(new RecordBatchOptions { BaseOffset = 10 }, [At(10), At(11)]); // 5 to 9 gone
        File.WriteAllBytes(FirstSegment(), [.. cleaned, .. whole]);

        var dump = FastlogProcess.Run("log", "dump", FirstSegment());

        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.EndsWith(" compactedAway: 3", BatchLines(dump)[0], StringComparison.Ordinal);
        Assert.DoesNotContain("compactedAway", BatchLines(dump)[1], StringComparison.Ordinal);
        Assert.Equal("compacted: 8 of the 12 offsets in [0, 12) were removed by the log cleaner", dump.Lines[^1]);
    }

    [Fact]
    public void Dump_stops_after_max_batches_and_prints_no_records_without_the_flag()
    {
        Assert.Equal(0, FastlogProcess.Run("log", "sample", DataDir, "--batches", "12").ExitCode);

        var dump = FastlogProcess.Run("log", "dump", FirstSegment(), "--max-batches", "5");

        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.Equal(5, BatchLines(dump).Length);
        Assert.Empty(RecordLines(dump));
    }

    [Fact]
    public void Dump_of_a_corrupt_segment_prints_the_problem_and_exits_1()
    {
        Assert.Equal(0, FastlogProcess.Run("log", "sample", DataDir, "--batches", "10").ExitCode);
        var segment = FirstSegment();
        var (position, baseOffset, size) = BatchesIn(segment)[3];
        var bytes = File.ReadAllBytes(segment);
        bytes[position + size - 1] ^= 0x80;
        File.WriteAllBytes(segment, bytes);

        var dump = FastlogProcess.Run("log", "dump", segment);

        Assert.True(dump.ExitCode == 1, dump.ToString());
        Assert.Equal(4, BatchLines(dump).Length); // three good ones and the corrupt one, marked
        Assert.Contains("crcValid: false", BatchLines(dump)[3], StringComparison.Ordinal);
        Assert.StartsWith($"corrupt batch at position {position} (offset {baseOffset}): crc mismatch: ", dump.Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_prints_the_entries_of_both_indexes()
    {
        Assert.Equal(0, FastlogProcess.Run("log", "sample", DataDir, "--batches", "30", "--segment-bytes", "1048576").ExitCode);
        var index = Path.ChangeExtension(FirstSegment(), ".index");
        var timeIndex = Path.ChangeExtension(FirstSegment(), ".timeindex");

        var offsets = FastlogProcess.Run("log", "dump", index);
        var times = FastlogProcess.Run("log", "dump", timeIndex);

        Assert.Equal(0, offsets.ExitCode);
        var offsetLines = offsets.Lines.Where(l => l.StartsWith("offset: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(new FileInfo(index).Length / 8, offsetLines.Count);
        Assert.NotEmpty(offsetLines);
        Assert.Matches(@"^offset: \d+ position: \d+$", offsetLines[0]);
        Assert.Equal(0, times.ExitCode);
        var timeLines = times.Lines.Where(l => l.StartsWith("timestamp: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(new FileInfo(timeIndex).Length / 12, timeLines.Count);
        Assert.Matches(@"^timestamp: \d+ offset: \d+$", timeLines[0]);
    }

    [Fact]
    public void Dump_shows_the_marker_type_of_a_control_batch()
    {
        var segment = Path.Combine(_dir, "00000000000000000000.log");
        var data = RecordBatchBuilder.BuildDense(
            new RecordBatchOptions { Transactional = true, ProducerId = 7, ProducerEpoch = 1, BaseSequence = 0 },
            [Record.Create(Encoding.UTF8.GetBytes("k"), null, 1_700_000_000_000), Record.Create(null, [0x00, 0xff, 0x10], 1_700_000_000_001)]);
        var marker = RecordBatchBuilder.BuildDense(
            new RecordBatchOptions { BaseOffset = 2, Transactional = true, Control = true, ProducerId = 7, ProducerEpoch = 1 },
            [Record.Create(ControlRecord.Key(ControlRecordType.Commit), ControlRecord.Value(5), 1_700_000_000_002)]);
        File.WriteAllBytes(segment, [.. data, .. marker, .. new byte[100]]);

        var dump = FastlogProcess.Run("log", "dump", segment, "--records");

        Assert.True(dump.ExitCode == 0, dump.ToString());
        var batches = BatchLines(dump);
        Assert.Equal(2, batches.Length);
        Assert.Contains("isTransactional: true isControl: false producerId: 7 producerEpoch: 1 baseSequence: 0", batches[0], StringComparison.Ordinal);
        Assert.Contains("isControl: true", batches[1], StringComparison.Ordinal);
        var records = RecordLines(dump);
        Assert.EndsWith("keySize: 1 valueSize: -1 headers: - key: k value: null", records[0], StringComparison.Ordinal);
        Assert.EndsWith("keySize: -1 valueSize: 3 headers: - key: null value: 0x00ff10", records[1], StringComparison.Ordinal);
        Assert.EndsWith("endTxnMarker: COMMIT coordinatorEpoch: 5", records[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_of_a_missing_path_exits_2()
    {
        var verify = FastlogProcess.Run("log", "verify", Path.Combine(_dir, "missing"));

        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("does not exist", verify.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("log", "frobnicate")]
    [InlineData("log", "dump")]
    [InlineData("log", "sample", "x", "--batches", "many")]
    [InlineData("log", "dump", "x.log", "--no-such-flag")]
    public void Bad_command_lines_print_usage_and_exit_1(params string[] args)
    {
        var run = FastlogProcess.Run(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: fastlog", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("log", "--help")]
    [InlineData("log", "verify", "--help")]
    public void Help_prints_usage_and_exits_0(params string[] args)
    {
        var run = FastlogProcess.Run(args);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage: fastlog", run.Output, StringComparison.Ordinal);
    }

    private string FirstSegment() => Path.Combine(PartitionDir, "00000000000000000000.log");

    private static string[] BatchLines(ToolRun run) => [.. run.Lines.Where(l => l.StartsWith("baseOffset: ", StringComparison.Ordinal))];

    private static string[] RecordLines(ToolRun run) => [.. run.Lines.Where(l => l.StartsWith("| offset: ", StringComparison.Ordinal))];

    private static List<(int Position, long BaseOffset, int Size)> BatchesIn(string logFile)
    {
        var bytes = File.ReadAllBytes(logFile);
        var batches = new List<(int, long, int)>();
        for (var position = 0; position + RecordBatchLayout.LogOverhead <= bytes.Length;)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + RecordBatchLayout.BatchLength)) + RecordBatchLayout.LogOverhead;
            batches.Add((position, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(position)), size));
            position += size;
        }
        return batches;
    }
}
