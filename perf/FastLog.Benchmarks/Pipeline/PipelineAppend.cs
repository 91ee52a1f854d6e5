using System.Diagnostics;
using System.Globalization;
using FastLog.Benchmarks.Support;

namespace FastLog.Benchmarks.Pipeline;

/// <summary>
/// The append pipeline in-process (no network) against plain positioned writes + fdatasync of the same bytes and
/// flush sizes into a pre-zeroed file, in the same run: one producer appends a batch and waits until it is
/// durable (per-batch flush), so each pass is one write and one flush, as in the baseline.
/// `dotnet run -c Release --project perf/FastLog.Benchmarks -- pipeline-append [megabytes]`.
/// </summary>
public static class PipelineAppend
{
    public static void Run(string[] args)
    {
        var megabytes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 128;
        var bytes = (long)megabytes * 1024 * 1024;
        Console.WriteLine($"pipeline append vs positioned writes, per-batch flush, {megabytes} MiB per measurement");
        foreach (var batchBytes in new[] { 64 * 1024, 1024 * 1024 })
        {
            for (var round = 0; round < 3; round++)
            {
                var baseline = Positioned(batchBytes, bytes);
                var pipeline = Pipelined(batchBytes, bytes);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {batchBytes / 1024,5} KiB round {round + 1}: positioned {baseline / 1e6,8:F1} MB/s   pipeline {pipeline / 1e6,8:F1} MB/s   ratio {pipeline / baseline,5:F2}"));
            }
        }
    }

    private static double Positioned(int batchBytes, long bytes)
    {
        var directory = BenchDirectory.Create("pipeline-append-baseline");
        try
        {
            var batch = BatchFactory.Build(batchBytes, recordBytes: 1024);
            using var file = PreZeroedFile.Create(directory.File("positioned.log"), bytes);
            var clock = Stopwatch.StartNew();
            for (long position = 0; position + batch.Length <= bytes; position += batch.Length)
            {
                RandomAccess.Write(file, batch, position);
                FileSync.DataSync(file);
            }
            return bytes / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            directory.Delete();
        }
    }

    private static double Pipelined(int batchBytes, long bytes)
    {
        // A window of twice the measured bytes, all of it prepared before the clock starts: the preparer then has
        // nothing to do during the measurement (it wakes when less than half the window is left), as the
        // baseline's file is pre-zeroed before its clock starts.
        var window = (int)Math.Min(2 * bytes, 1 << 30);
        using var harness = new PipelineHarness("pipeline-append", "phased-backoff", prepareAheadBytes: window);
        var batch = BatchFactory.Build(batchBytes, recordBytes: 1024);
        harness.Publish(batch).Outcome.AsTask().Wait(); // the first append starts the preparer
        harness.WaitPrepared(window);
        // An async loop, as the produce path is: the completion continues it on a pool thread, one hop per append.
        return Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            for (long written = 0; written + batch.Length <= bytes; written += batch.Length)
            {
                var outcome = await harness.Publish(batch).Outcome.ConfigureAwait(false);
                if (outcome.Error != Protocol.Messages.ErrorCode.None)
                {
                    throw new InvalidOperationException($"append failed: {outcome.Error}");
                }
            }
            return bytes / clock.Elapsed.TotalSeconds;
        }).GetAwaiter().GetResult();
    }
}
