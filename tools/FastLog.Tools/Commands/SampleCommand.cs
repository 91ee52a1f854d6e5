using System.Text;
using FastLog.Protocol.Records;
using FastLog.Storage;
using FastLog.Tools.Cli;

namespace FastLog.Tools.Commands;

/// <summary>
/// "fastlog log sample &lt;dir&gt;": writes topic "sample" through the real storage path (LogManager, PartitionLog),
/// so the files it leaves are exactly what a broker writes, then closes the data dir cleanly.
/// </summary>
internal static class SampleCommand
{
    public const string Topic = "sample";

    private const string Filler = "the quick brown fox jumps over the lazy dog";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var parsed = Arguments.Parse(args, [], ["--partitions", "--batches", "--records-per-batch", "--compression", "--segment-bytes"]);
        var dir = parsed.SinglePath("data directory");
        var partitions = parsed.Int("--partitions", 1, 1);
        var batches = parsed.Int("--batches", 100, 0);
        var recordsPerBatch = parsed.Int("--records-per-batch", 10, 1);
        var segmentBytes = parsed.Int("--segment-bytes", 32 * 1024, 1024);
        var compression = ParseCompression(parsed.Value("--compression", "none"));

        var config = new LogConfig { SegmentBytes = segmentBytes };
        using var manager = LogManager.Open(new LogManagerOptions { DataDirs = [dir], ConfigFor = _ => config });
        var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var logs = new List<PartitionLog>();
        for (var p = 0; p < partitions; p++)
        {
            var log = manager.GetOrCreate(new TopicPartition(Topic, p));
            logs.Add(log);
            for (var b = 0; b < batches; b++)
            {
                // Numbered from the log end, so running sample again on the same dir continues the keys.
                var first = log.LogEndOffset;
                var records = Enumerable.Range(0, recordsPerBatch)
                    .Select(i => MakeRecord(first + i, startMs + first + i, b))
                    .ToList();
                log.Append(RecordBatchBuilder.BuildDense(new RecordBatchOptions { Compression = compression }, records));
            }
        }
        manager.Close();

        foreach (var log in logs)
        {
            output.WriteLine($"{log.Partition}: offsets {log.LogStartOffset}..{log.LogEndOffset - 1}, {log.Segments.Count} segments, {log.SizeInBytes} bytes");
        }
        output.WriteLine($"wrote {batches} batches of {recordsPerBatch} records ({compression.ToString().ToLowerInvariant()}) to each of {partitions} partition(s) of topic '{Topic}' in {dir}");
        return ExitCodes.Ok;
    }

    private static Record MakeRecord(long n, long timestamp, int batch) => Record.Create(
        Encoding.UTF8.GetBytes($"key-{n}"),
        Encoding.UTF8.GetBytes($"value-{n} {Filler}"),
        timestamp,
        new RecordHeader("source", Encoding.UTF8.GetBytes("fastlog-sample")),
        new RecordHeader("batch", Encoding.UTF8.GetBytes(batch.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private static CompressionType ParseCompression(string name) => name.ToLowerInvariant() switch
    {
        "none" => CompressionType.None,
        "gzip" => CompressionType.Gzip,
        "snappy" => CompressionType.Snappy,
        "lz4" => CompressionType.Lz4,
        "zstd" => CompressionType.Zstd,
        _ => throw new UsageException($"--compression must be none, gzip, snappy, lz4 or zstd, not '{name}'"),
    };
}
