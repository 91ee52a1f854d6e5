using System.Globalization;
using FastLog.FetchBench;
using FastLog.TestSupport;

// Fetch throughput of one consumer reading one partition over loopback, against a raw sendfile and a raw
// read+send of the same segment file measured in the same run; the broker's CPU seconds per GiB on the
// zero-copy and the copying fetch paths; and the bytes the send path allocates per response.
// Usage: dotnet run -c Release --project perf/FastLog.FetchBench -- [--size-mib 1024] [--fetch-mib 64]
//        [--rounds 3] [--paths raw,zero-copy,copying] [--dir <folder>] [--rebuild] [--skip-alloc]
var options = Options.Parse(args);
Console.WriteLine($"start {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC; {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Trim()}; .NET {Environment.Version}");
var sizeBytes = options.SizeMiB * 1024L * 1024;
var segment = await PartitionBuilder.BuildAsync(Path.Combine(options.Dir, "data"), sizeBytes, options.Rebuild);
var receiveBuffer = new byte[RawBaselines.ChunkBytes];
var fetchBytes = options.FetchMiB * 1024 * 1024;

var passes = new List<Pass>();
void Baselines()
{
    for (var round = 0; round < options.Rounds; round++)
    {
        var sendfile = RawBaselines.SendFile(segment, receiveBuffer);
        passes.Add(Report(new Pass("raw sendfile", sendfile.Bytes, sendfile.Elapsed, sendfile.SenderCpuSeconds)));
        var readSend = RawBaselines.ReadSend(segment, receiveBuffer);
        passes.Add(Report(new Pass("raw read+send", readSend.Bytes, readSend.Elapsed, readSend.SenderCpuSeconds)));
    }
}

async Task Broker(bool zeroCopy)
{
    var name = zeroCopy ? "broker zero-copy" : "broker copying";
    await using var broker = await BrokerProcess.StartAsync(Path.Combine(options.Dir, "data"),
        [.. PartitionBuilder.BrokerOverrides, $"socket.fetch.zero.copy={(zeroCopy ? "true" : "false")}"]);
    // The first pass is not counted: it pays the JIT and the lazy CRC-32C check of a segment trusted at start.
    var warmup = FetchClient.ReadPartition(broker.Port, PartitionBuilder.Topic, fetchBytes, receiveBuffer);
    Console.WriteLine($"{name} warm-up: {warmup.RecordBytes / warmup.Elapsed.TotalSeconds / 1e9:F2} GB/s, {warmup.Fetches} fetches");
    for (var round = 0; round < options.Rounds; round++)
    {
        var cpuBefore = CpuTime.ProcessSeconds(broker.ProcessId);
        var result = FetchClient.ReadPartition(broker.Port, PartitionBuilder.Topic, fetchBytes, receiveBuffer);
        var cpu = CpuTime.ProcessSeconds(broker.ProcessId) - cpuBefore;
        if (result.RecordBytes != sizeBytes)
        {
            throw new InvalidDataException($"{name} returned {result.RecordBytes} record bytes, not {sizeBytes}");
        }
        passes.Add(Report(new Pass(name, result.RecordBytes, result.Elapsed, cpu)));
    }
    await broker.StopAsync();
}

if (options.Paths.Contains("raw"))
{
    Baselines();
}
if (options.Paths.Contains("zero-copy"))
{
    await Broker(zeroCopy: true);
}
if (options.Paths.Contains("copying"))
{
    await Broker(zeroCopy: false);
}
if (options.Paths.Contains("raw"))
{
    Baselines(); // again after the brokers, so drift during the run shows in the baselines' spread
}

Console.WriteLine();
Console.WriteLine($"| Path | Passes | GB/s median (min-max) | CPU s/GiB median | vs max(baselines) |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
var best = passes.Where(p => p.Name.StartsWith("raw", StringComparison.Ordinal)).GroupBy(p => p.Name).Select(g => Median(g.Select(p => p.GBps))).DefaultIfEmpty(double.NaN).Max();
foreach (var group in passes.GroupBy(p => p.Name))
{
    var rates = group.Select(p => p.GBps).ToList();
    var cpu = Median(group.Select(p => p.CpuSecondsPerGiB));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {group.Key} | {rates.Count} | {Median(rates):F2} ({rates.Min():F2}-{rates.Max():F2}) | {cpu:F3} | {Median(rates) / best:F2} |"));
}
Console.WriteLine("CPU: raw rows are the sender thread (getrusage), broker rows the whole broker process (/proc/<pid>/stat, 10 ms ticks).");
Console.WriteLine($"end {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC; load {File.ReadAllText("/proc/loadavg").Trim()}");

if (!options.SkipAlloc)
{
    Console.WriteLine();
    await AllocationCheck.RunAsync(Path.Combine(options.Dir, "alloc"));
}
return 0;

static Pass Report(Pass pass)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{pass.Name}: {pass.Bytes / (1024.0 * 1024):F0} MiB in {pass.Elapsed.TotalSeconds:F3} s = {pass.GBps:F2} GB/s, CPU {pass.CpuSeconds:F2} s ({pass.CpuSecondsPerGiB:F3} s/GiB)"));
    return pass;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record Pass(string Name, long Bytes, TimeSpan Elapsed, double CpuSeconds)
{
    public double GBps => Bytes / Elapsed.TotalSeconds / 1e9;
    public double CpuSecondsPerGiB => CpuSeconds / (Bytes / (1024.0 * 1024 * 1024));
}

internal sealed record Options(int SizeMiB, int FetchMiB, int Rounds, string Dir, bool Rebuild, bool SkipAlloc, string[] Paths)
{
    public static Options Parse(string[] args)
    {
        var options = new Options(1024, 64, 3,
            Path.Combine(Environment.GetEnvironmentVariable("FASTLOG_BENCH_DIR") ?? Path.Combine(Path.GetTempPath(), "fastlog-bench"), "fetch"),
            Rebuild: false, SkipAlloc: false, Paths: ["raw", "zero-copy", "copying"]);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--size-mib" => options with { SizeMiB = Bounded(Next(), 1, 2047, "--size-mib") },
                "--fetch-mib" => options with { FetchMiB = Bounded(Next(), 1, 1024, "--fetch-mib") },
                "--rounds" => options with { Rounds = Bounded(Next(), 1, 20, "--rounds") },
                "--dir" => options with { Dir = Next() },
                "--rebuild" => options with { Rebuild = true },
                "--skip-alloc" => options with { SkipAlloc = true },
                "--paths" => options with { Paths = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }

    private static int Bounded(string text, int min, int max, string name)
    {
        var value = int.Parse(text, CultureInfo.InvariantCulture);
        return value >= min && value <= max ? value : throw new ArgumentException($"{name} must be in [{min}, {max}]");
    }
}
