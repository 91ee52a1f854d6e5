using FastLog.CrashAppender;
using FastLog.Protocol.Records;
using FastLog.Storage;
using FastLog.Storage.Cleaner;

// Appends batches to one partition and flushes them, forever, printing each flushed log end offset.
// A test kills it with SIGKILL at random points and checks that every batch it reported is still there.
// With "compact" it also cleans the log every few flushes ("CLEANING" before, "CLEANED n" after), so that
// kills land in the middle of cleanings and their swaps.
if (args.Length is not (3 or 4) || !int.TryParse(args[1], out var segmentBytes) || !Enum.TryParse<SegmentPreallocation>(args[2], out var preallocation)
    || (args.Length == 4 && args[3] != "compact"))
{
    Console.Error.WriteLine("usage: FastLog.CrashAppender <data-dir> <segment-bytes> <None|Fallocate|ZeroAhead|Prepared> [compact]");
    return 1;
}
var compact = args.Length == 4;

var partition = new TopicPartition("crash", 0);
var options = new LogManagerOptions
{
    DataDirs = [args[0]],
    ConfigFor = _ => AppenderConfig.For(segmentBytes, preallocation),
    Log = line => Console.Error.WriteLine(line),
};
using var manager = LogManager.Open(options);
var log = manager.GetOrCreate(partition);
Console.WriteLine($"READY {log.LogEndOffset}");

var cleaner = new LogCleaner(new OffsetMap(1024 * 1024), new Throttler(double.MaxValue));
var checkpoints = new CleanerCheckpoints();
var flushes = 0;
while (true)
{
    var batchesBeforeFlush = 1 + flushes % 4;
    for (var i = 0; i < batchesBeforeFlush; i++)
    {
        var batch = ExpectedBatch.At(log.LogEndOffset);
        RecordBatchHeader.AssignOffsets(batch, 0, -1); // as a producer sends it: the log assigns both
        log.Append(batch, ExpectedBatch.LeaderEpoch);
    }
    log.Flush();
    flushes++;
    if (flushes % 7 == 0)
    {
        manager.CheckpointAll(); // recovery then starts at varying points
    }
    Console.WriteLine($"FLUSHED {log.LogEndOffset}");
    if (compact && flushes % 5 == 0)
    {
        log.HighWatermark = log.LogEndOffset;
        Console.WriteLine("CLEANING");
        var result = cleaner.Clean(log, checkpoints.FirstDirtyOffset(log), new CompactionSettings { NowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        if (result.Cleaned)
        {
            checkpoints.Update(log, result.EndOffset);
        }
        Console.WriteLine($"CLEANED {result.EndOffset}");
    }
}
