using FastLog.CrashAppender;
using FastLog.Protocol.Records;
using FastLog.Storage;

namespace FastLog.NativeTests;

/// <summary>
/// A real process appends and flushes, and is killed with SIGKILL at random points, many times. Every reopen
/// must recover a log in which every batch reported flushed is present and byte-identical, offsets are
/// contiguous, and nothing after a torn or corrupt write is served.
/// </summary>
public sealed class CrashConsistencyTests : IDisposable
{
    private static readonly TopicPartition Partition = new("crash", 0);

    /// <summary>Large enough that the whole test log stays in the active segment, the log's tail.</summary>
    private const int OneSegment = 1024 * 1024;
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "fastlog-native-tests", Guid.NewGuid().ToString("N"));

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

    [Theory]
    [InlineData("ZeroAhead", 16 * 1024)]
    [InlineData("None", 48 * 1024)]
    [InlineData("Fallocate", 1024 * 1024)]
    [InlineData("Prepared", 512 * 1024)]
    public void Every_flushed_batch_survives_repeated_kill_9(string preallocation, int segmentBytes)
    {
        var random = new Random(segmentBytes);
        long reportedFlushed = 0;
        for (var cycle = 0; cycle < 15; cycle++)
        {
            using (var appender = new AppenderProcess(_dataDir, segmentBytes, preallocation))
            {
                var recoveredEnd = appender.WaitUntilReady(TimeSpan.FromSeconds(60));
                Assert.True(recoveredEnd >= reportedFlushed, $"cycle {cycle}: recovered to {recoveredEnd}, but {reportedFlushed} was reported flushed");
                // Progress decides when to kill (0 means during start-up); the spin moves the kill off the
                // report boundary, so it lands mid-append, mid-flush or mid-roll.
                appender.WaitForFlushed(recoveredEnd + random.Next(0, 120), TimeSpan.FromSeconds(30));
                Thread.SpinWait(random.Next(0, 2_000_000));
                appender.Kill();
                reportedFlushed = Math.Max(reportedFlushed, appender.FlushedOffset);
            }

            var end = VerifyLog(_dataDir, AppenderConfig.For(segmentBytes, Enum.Parse<SegmentPreallocation>(preallocation)));
            Assert.True(end >= reportedFlushed, $"cycle {cycle}: log ends at {end}, but {reportedFlushed} was reported flushed");
        }
        Assert.True(reportedFlushed > 0, "the appender never reported a flush");
    }

    [Fact]
    public void A_bit_flip_in_the_tail_truncates_there_and_appends_continue_after_it()
    {
        long flushed;
        using (var appender = new AppenderProcess(_dataDir, OneSegment, "ZeroAhead"))
        {
            appender.WaitUntilReady(TimeSpan.FromSeconds(60));
            appender.WaitForFlushed(200, TimeSpan.FromSeconds(30));
            appender.Kill();
            flushed = appender.FlushedOffset;
        }
        Assert.True(flushed >= 200);
        var (segmentPath, position, victimOffset) = LastBatchOfActiveSegment(_dataDir);
        FlipBit(segmentPath, position + RecordBatchLayout.HeaderSize + 3);

        using (var appender = new AppenderProcess(_dataDir, OneSegment, "ZeroAhead"))
        {
            var recoveredEnd = appender.WaitUntilReady(TimeSpan.FromSeconds(60));
            Assert.Equal(victimOffset, recoveredEnd);
            appender.WaitForFlushed(victimOffset + 50, TimeSpan.FromSeconds(30));
            appender.Kill();
            Assert.Contains(appender.ErrorLines, l => l.Contains("CRC-32C", StringComparison.Ordinal));
        }

        Assert.True(VerifyLog(_dataDir, AppenderConfig.For(OneSegment, SegmentPreallocation.ZeroAhead)) > victimOffset);
    }

    /// <summary>Opens the log as a crashed broker would and checks every batch; returns the log end offset.</summary>
    private static long VerifyLog(string dataDir, LogConfig config)
    {
        var directory = Path.Combine(dataDir, Partition.DirectoryName);
        var log = PartitionLog.Open(Partition, directory, config, new Storage.Files.FileCache(32), new LogOpenOptions { CleanShutdown = false });

        var expectedNext = 0L;
        while (expectedNext < log.LogEndOffset)
        {
            var region = log.Read(expectedNext, 256 * 1024).ToArray();
            Assert.NotEmpty(region);
            for (var position = 0; position < region.Length;)
            {
                var header = RecordBatchHeader.Read(region.AsSpan(position));
                Assert.Equal(expectedNext, header.BaseOffset); // contiguous offsets
                var expected = ExpectedBatch.At(header.BaseOffset);
                Assert.True(region.AsSpan(position, header.TotalSize).SequenceEqual(expected), $"batch at offset {header.BaseOffset} differs from what was appended");
                expectedNext = header.NextOffset;
                position += header.TotalSize;
            }
        }
        return log.LogEndOffset;
    }

    private static (string Path, long Position, long BaseOffset) LastBatchOfActiveSegment(string dataDir)
    {
        var directory = Path.Combine(dataDir, Partition.DirectoryName);
        var active = Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal).Last();
        var bytes = File.ReadAllBytes(active);
        long position = 0;
        (long Position, long BaseOffset) last = (-1, -1);
        while (position + RecordBatchLayout.HeaderSize <= bytes.Length)
        {
            var validation = RecordBatchValidator.Validate(bytes.AsSpan((int)position), requireDenseOffsets: false);
            if (!validation.IsValid)
            {
                break;
            }
            last = (position, validation.Header.BaseOffset);
            position += validation.Header.TotalSize;
        }
        Assert.True(last.Position >= 0, "the active segment holds no batch");
        return (active, last.Position, last.BaseOffset);
    }

    private static void FlipBit(string path, long position)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var one = new byte[1];
        RandomAccess.Read(file, one, position);
        one[0] ^= 0x20;
        RandomAccess.Write(file, one, position);
    }
}
