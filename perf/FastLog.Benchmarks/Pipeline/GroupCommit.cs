using System.Diagnostics;
using System.Globalization;
using FastLog.Benchmarks.Support;

namespace FastLog.Benchmarks.Pipeline;

/// <summary>
/// Whether group commit pays off: N concurrent producers each append a 1 KiB batch through the pipeline and wait
/// for it to be durable (per-batch flush), against one positioned write + fdatasync per append into a pre-zeroed
/// file, the rate a broker without group commit could reach, in the same run:
/// `dotnet run -c Release --project perf/FastLog.Benchmarks -- group-commit [producers] [seconds] [batch-bytes]`.
/// </summary>
public static class GroupCommit
{
    public static void Run(string[] args)
    {
        var producers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 10;
        var batchBytes = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1024;
        Console.WriteLine($"group commit: {producers} producers, {batchBytes} B batches, per-batch flush, {seconds} s per measurement");
        for (var round = 0; round < 3; round++)
        {
            var single = OneSyncPerAppend(batchBytes, seconds);
            var grouped = Pipelined(producers, batchBytes, seconds, out var meanBatch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round + 1}: one fdatasync per append {single,10:N0} appends/s   pipeline {grouped,10:N0} durable appends/s   ratio {grouped / single,6:F1}x   mean writer batch {meanBatch:F1}"));
        }
    }

    private static double OneSyncPerAppend(int batchBytes, double seconds)
    {
        var directory = BenchDirectory.Create("group-commit-baseline");
        try
        {
            var batch = BatchFactory.Build(batchBytes, recordBytes: Math.Min(batchBytes - 100, 100));
            var fileBytes = 256L * 1024 * 1024;
            using var file = PreZeroedFile.Create(directory.File("baseline.log"), fileBytes);
            var clock = Stopwatch.StartNew();
            long appends = 0;
            long position = 0;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                RandomAccess.Write(file, batch, position);
                FileSync.DataSync(file);
                position = (position + batch.Length) % (fileBytes - batch.Length);
                appends++;
            }
            return appends / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            directory.Delete();
        }
    }

    private static double Pipelined(int producers, int batchBytes, double seconds, out double meanBatch)
    {
        using var harness = new PipelineHarness("group-commit", "phased-backoff", prepareAheadBytes: 64 * 1024 * 1024);
        var template = BatchFactory.Build(batchBytes, recordBytes: Math.Min(batchBytes - 100, 100));
        harness.Publish(template.ToArray()).Outcome.AsTask().Wait(); // the first append starts the preparer
        harness.WaitPrepared(32 * 1024 * 1024);
        var entriesBefore = harness.Pipeline.EntriesProcessed;
        var passesBefore = harness.Pipeline.Passes;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var counts = new long[producers];
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            // Each producer owns its buffer: the writer stamps offsets into it, and it is reused only after completion.
            var batch = template.ToArray();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var outcome = await harness.Publish(batch).Outcome.ConfigureAwait(false);
                if (outcome.Error != Protocol.Messages.ErrorCode.None)
                {
                    throw new InvalidOperationException($"append failed: {outcome.Error}");
                }
                counts[p]++;
            }
        })).ToArray();
        Task.WaitAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var passes = harness.Pipeline.Passes - passesBefore;
        meanBatch = passes == 0 ? 0 : (double)(harness.Pipeline.EntriesProcessed - entriesBefore) / passes;
        return counts.Sum() / elapsed;
    }
}
