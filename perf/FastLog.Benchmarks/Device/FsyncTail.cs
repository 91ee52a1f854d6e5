using System.Diagnostics;
using System.Globalization;
using FastLog.Benchmarks.Support;

namespace FastLog.Benchmarks.Device;

/// <summary>
/// The device's fdatasync latency as a per-batch-flush broker sees it: 100-byte appends into a pre-zeroed file,
/// each followed by fdatasync, back to back for a while, first on an otherwise idle process and then with one
/// busy thread per core (what a broker and its clients put on a small machine). Percentiles up to the maximum:
/// a produce p99 under load follows the device's rare long flushes (everything that arrives during one waits
/// for it), which a probe of a few hundred syncs cannot see.
/// `dotnet run -c Release --project perf/FastLog.Benchmarks -- fsync-tail [seconds]`.
/// </summary>
public static class FsyncTail
{
    private const int RecordBytes = 100;

    public static void Run(string[] args)
    {
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        Console.WriteLine($"fdatasync after each {RecordBytes} B append into a pre-zeroed file, {seconds} s per measurement, {Environment.ProcessorCount} cores");
        for (var round = 0; round < 2; round++)
        {
            Report("idle", Measure(seconds, busyThreads: 0));
            Report($"{Environment.ProcessorCount} busy threads", Measure(seconds, busyThreads: Environment.ProcessorCount));
        }
    }

    private static List<double> Measure(double seconds, int busyThreads)
    {
        var directory = BenchDirectory.Create("fsync-tail");
        using var stop = new CancellationTokenSource();
        var busy = Enumerable.Range(0, busyThreads).Select(_ => new Thread(() =>
        {
            var spins = 0L;
            while (!stop.IsCancellationRequested)
            {
                spins++;
            }
            GC.KeepAlive(spins);
        }) { IsBackground = true }).ToList();
        try
        {
            var fileBytes = 64L * 1024 * 1024;
            using var file = PreZeroedFile.Create(directory.File("tail.log"), fileBytes);
            busy.ForEach(t => t.Start());
            var record = new byte[RecordBytes];
            Random.Shared.NextBytes(record);
            var micros = new List<double>();
            var clock = Stopwatch.StartNew();
            long position = 0;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                RandomAccess.Write(file, record, position);
                var start = Stopwatch.GetTimestamp();
                FileSync.DataSync(file);
                micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                position = (position + RecordBytes) % (fileBytes - RecordBytes);
            }
            return micros;
        }
        finally
        {
            stop.Cancel();
            busy.ForEach(t => t.Join());
            directory.Delete();
        }
    }

    private static void Report(string condition, List<double> micros)
    {
        micros.Sort();
        double At(double quantile) => micros[Math.Min(micros.Count - 1, (int)Math.Ceiling(quantile * micros.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {condition,-16} {micros.Count,7:N0} syncs   p50 {At(0.5),7:F0} us   p99 {At(0.99),7:F0} us   p99.9 {At(0.999),7:F0} us   max {micros[^1],7:F0} us"));
    }
}
