using FastLog.CrashAppender;
using FastLog.Protocol.Records;
using FastLog.Storage;
using FastLog.Storage.Verification;

namespace FastLog.NativeTests;

/// <summary>
/// The crash appender in "compact" mode appends keyed records and cleans its log every few flushes; it is killed
/// with SIGKILL many times, most often just after a cleaning started, so kills land mid-cleaning and mid-swap.
/// Every reopen must leave a log that verifies, holds nothing but records as appended (at their offsets), and
/// still holds the latest record of every key below its end.
/// </summary>
public sealed class CompactionCrashTests : IDisposable
{
    private static readonly TopicPartition Partition = new("crash", 0);
    private const int Keys = 97; // ExpectedBatch's records have the key "key-{offset % 97}"
    private const int SegmentBytes = 16 * 1024;
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

    [Fact]
    public void Every_latest_value_survives_repeated_kill_9_during_cleaning()
    {
        var random = new Random(20);
        long reportedFlushed = 0;
        var sawCleanedLog = false;
        var interruptedCleanings = 0;
        for (var cycle = 0; cycle < 20; cycle++)
        {
            using (var appender = new AppenderProcess(_dataDir, SegmentBytes, "ZeroAhead", compact: true))
            {
                appender.WaitUntilReady(TimeSpan.FromSeconds(60));
                appender.WaitForCleaningsStarted(1 + random.Next(0, 3), TimeSpan.FromSeconds(30));
                Thread.SpinWait(random.Next(0, 400_000));
                appender.Kill();
                reportedFlushed = Math.Max(reportedFlushed, appender.FlushedOffset);
            }

            var folder = Path.Combine(_dataDir, Partition.DirectoryName);
            if (Directory.EnumerateFiles(folder, "*.cleaned").Concat(Directory.EnumerateFiles(folder, "*.swap")).Any())
            {
                interruptedCleanings++;
            }
            var (end, records) = VerifyLog();
            Assert.True(end >= reportedFlushed, $"cycle {cycle}: log ends at {end}, but {reportedFlushed} was reported flushed");
            sawCleanedLog |= records < end;
        }
        Assert.True(sawCleanedLog, "no cleaning ever removed a record: the test did not exercise the cleaner");
        Assert.True(interruptedCleanings > 0, "no kill landed in a cleaning: the test did not exercise recovery from one");
    }

    /// <summary>Opens the log as a crashed broker would and checks it; returns its end offset and record count.</summary>
    private (long End, long Records) VerifyLog()
    {
        var directory = Path.Combine(_dataDir, Partition.DirectoryName);
        var log = PartitionLog.Open(Partition, directory, AppenderConfig.For(SegmentBytes, SegmentPreallocation.ZeroAhead), new Storage.Files.FileCache(32), new LogOpenOptions { CleanShutdown = false });
        var verification = LogVerifier.VerifyPartitionDirectory(directory);
        Assert.True(verification.IsOk, verification.Problem?.ToString());

        var latest = new Dictionary<string, long>();
        long count = 0, previous = -1;
        for (var offset = log.LogStartOffset; offset < log.LogEndOffset;)
        {
            var region = log.Read(offset, 256 * 1024);
            if (region.IsEmpty)
            {
                break;
            }
            var bytes = region.ToArray();
            for (var position = 0; position < bytes.Length;)
            {
                var header = RecordBatchHeader.Read(bytes.AsSpan(position));
                var appended = RecordBatchReader.ReadRecords(ExpectedBatch.At(header.BaseOffset)).ToDictionary(r => r.Offset);
                foreach (var record in RecordBatchReader.ReadRecords(bytes.AsSpan(position, header.TotalSize)))
                {
                    Assert.True(record.Offset > previous, $"offset {record.Offset} follows {previous}");
                    Assert.Equal(appended[record.Offset].Value, record.Value);
                    Assert.Equal(appended[record.Offset].Key, record.Key);
                    latest[System.Text.Encoding.UTF8.GetString(record.Key!)] = record.Offset;
                    previous = record.Offset;
                    count++;
                }
                position += header.TotalSize;
                offset = header.NextOffset;
            }
        }

        for (var key = 0; key < Keys && key < log.LogEndOffset; key++)
        {
            // The newest offset below the log end whose record has this key.
            var expected = log.LogEndOffset - 1 - ((log.LogEndOffset - 1 - key) % Keys + Keys) % Keys;
            Assert.True(latest.TryGetValue($"key-{key}", out var found) && found == expected, $"key-{key}: latest offset {expected} missing (found {found})");
        }
        return (log.LogEndOffset, count);
    }
}
