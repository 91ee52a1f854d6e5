using FastLog.CrashAppender;
using FastLog.Protocol.Records;
using FastLog.Storage;

// Appends batches to one partition and flushes them, forever, printing each flushed log end offset.
// A test kills it with SIGKILL at random points and checks that every batch it reported is still there.
if (args.Length != 3 || !int.TryParse(args[1], out var segmentBytes) || !Enum.TryParse<SegmentPreallocation>(args[2], out var preallocation))
{
    Console.Error.WriteLine("usage: FastLog.CrashAppender <data-dir> <segment-bytes> <None|Fallocate|ZeroAhead|Prepared>");
    return 1;
}

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
}
