using System.Text.RegularExpressions;
using FastLog.LoadGen.Cli;
using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Workloads;

namespace FastLog.LoadGen;

/// <summary>
/// One run's settings, validated as a whole: an option that the chosen workload would ignore is an error, so a
/// recorded command line always means what it says.
/// </summary>
internal sealed partial record Options
{
    public static readonly string[] AcksChoices = ["0", "1", "all"];
    public static readonly string[] CompressionChoices = ["none", "gzip", "snappy", "lz4", "zstd"];

    private static readonly HashSet<string> ValueOptions =
    [
        "--bootstrap", "--topic", "--partitions", "--record-bytes", "--producers", "--acks", "--compression",
        "--linger-ms", "--batch-bytes", "--duration", "--warmup", "--rate", "--messages", "--json", "--plot",
        "--broker-metrics", "--fsync-dir", "--baseline", "--max-regression",
    ];

    private static readonly HashSet<string> FlagOptions = ["--keep-topic"];

    public required WorkloadKind Workload { get; init; }
    public required BootstrapAddress Bootstrap { get; init; }

    /// <summary>An existing topic to use; null means a fresh <c>loadgen-…</c> topic is created for the run.</summary>
    public string? Topic { get; init; }

    public int Partitions { get; init; } = 1;
    public int RecordBytes { get; init; } = 100;
    public int Producers { get; init; } = 1;
    public string Acks { get; init; } = "1";
    public string Compression { get; init; } = "none";
    public int LingerMs { get; init; } = 1;

    /// <summary>librdkafka's batch.size; null keeps the client default.</summary>
    public int? BatchBytes { get; init; }

    public double DurationSeconds { get; init; } = 30;
    public double WarmupSeconds { get; init; } = 5;

    /// <summary>Messages per second over all producers (produce-rate, end-to-end); null means as fast as possible.</summary>
    public double? Rate { get; init; }

    /// <summary>consume only: messages to produce into the topic before reading it.</summary>
    public long? Messages { get; init; }

    public string? JsonPath { get; init; }
    public string? PlotPath { get; init; }

    /// <summary>The broker's GET /metrics URL, read before and after the run; null: not read.</summary>
    public string? BrokerMetricsUrl { get; init; }

    /// <summary>A folder on the broker's data device whose fdatasync latency is measured around the run.</summary>
    public string? FsyncDirectory { get; init; }

    /// <summary>Keep the fresh topic after the run instead of deleting it.</summary>
    public bool KeepTopic { get; init; }

    /// <summary>An earlier run's --json results to compare this run with (Reporting/RegressionCheck.cs); null: none.</summary>
    public string? BaselinePath { get; init; }

    /// <summary>How much worse than the baseline the p99 and the throughput may get, in percent.</summary>
    public double MaxRegressionPercent { get; init; } = 10;

    public static Options Parse(IReadOnlyList<string> args)
    {
        var r = OptionReader.Read(args, ValueOptions, FlagOptions);
        var workload = ParseWorkload(r.Positional);
        var options = new Options
        {
            Workload = workload,
            Bootstrap = BootstrapAddress.Parse(r.Text("--bootstrap") ?? "127.0.0.1:9092"),
            Topic = ParseTopic(r.Text("--topic")),
            Partitions = (int)(r.Integer("--partitions", 1, 10_000, "partitions") ?? 1),
            RecordBytes = (int)(r.Integer("--record-bytes", 0, 1_000_000, "bytes") ?? 100),
            Producers = (int)(r.Integer("--producers", 1, 256, "producers") ?? 1),
            Acks = r.Choice("--acks", AcksChoices) ?? "1",
            Compression = r.Choice("--compression", CompressionChoices) ?? "none",
            LingerMs = (int)(r.Integer("--linger-ms", 0, 900_000, "milliseconds") ?? 1),
            BatchBytes = (int?)r.Integer("--batch-bytes", 1, int.MaxValue, "bytes"),
            DurationSeconds = r.Number("--duration", 0, exclusive: true, 86_400, "seconds") ?? 30,
            WarmupSeconds = r.Number("--warmup", 0, exclusive: false, 86_400, "seconds") ?? 5,
            Rate = r.Number("--rate", 0, exclusive: true, 100_000_000, "messages per second"),
            Messages = r.Integer("--messages", 1, 10_000_000_000, "messages"),
            JsonPath = OutputPath(r, "--json"),
            PlotPath = OutputPath(r, "--plot"),
            KeepTopic = r.Flag("--keep-topic"),
            BrokerMetricsUrl = r.Text("--broker-metrics"),
            FsyncDirectory = r.Text("--fsync-dir"),
            BaselinePath = ExistingFile(r, "--baseline"),
            MaxRegressionPercent = r.Number("--max-regression", 0, exclusive: true, 10_000, "percent") ?? 10,
        };
        options.CheckFitsWorkload(r);
        return options;
    }

    private void CheckFitsWorkload(OptionReader r)
    {
        var name = WorkloadNames.Name(Workload);
        if (Workload == WorkloadKind.ProduceRate && Rate is null)
        {
            throw new UsageException("produce-rate needs --rate (messages per second over all producers)");
        }
        if (Rate is not null && Workload is WorkloadKind.ProduceMax or WorkloadKind.Consume)
        {
            throw new UsageException($"--rate applies to produce-rate and end-to-end, not to {name}");
        }
        if (Messages is not null && Workload != WorkloadKind.Consume)
        {
            throw new UsageException($"--messages applies to consume (messages to preload), not to {name}");
        }
        if (PlotPath is not null && Workload == WorkloadKind.Consume)
        {
            throw new UsageException("--plot needs latencies, and consume measures none; leave it out");
        }
        if (Topic is not null && r.Has("--partitions"))
        {
            throw new UsageException("--partitions applies to the fresh topic; an existing --topic keeps its own partitions");
        }
        if (Topic is not null && KeepTopic)
        {
            throw new UsageException("--keep-topic applies to the fresh topic; an existing --topic is never deleted");
        }
        if (Workload == WorkloadKind.Consume && Topic is null && Messages is null)
        {
            throw new UsageException("consume needs --messages N to fill its fresh topic, or --topic to read an existing one");
        }
        if (r.Has("--max-regression") && BaselinePath is null)
        {
            throw new UsageException("--max-regression needs --baseline FILE (an earlier run's --json results)");
        }
        if (Rate is { } rate && rate < Producers)
        {
            throw new UsageException($"--rate {rate} is below one message per second per producer (--producers {Producers})");
        }
    }

    private static WorkloadKind ParseWorkload(IReadOnlyList<string> positional)
    {
        if (positional.Count == 0)
        {
            throw new UsageException($"no workload given; choose one of {WorkloadNames.List}");
        }
        if (positional.Count > 1)
        {
            throw new UsageException($"one workload at a time; got '{string.Join(' ', positional)}'");
        }
        return WorkloadNames.Find(positional[0])
            ?? throw new UsageException($"unknown workload '{positional[0]}'; choose one of {WorkloadNames.List}");
    }

    private static string? ParseTopic(string? topic)
    {
        if (topic is null)
        {
            return null;
        }
        // Kafka's own rule for topic names; checking here beats a broker error after the clients have started.
        if (topic.Length > 249 || topic is "." or ".." || !TopicName().IsMatch(topic))
        {
            throw new UsageException($"--topic '{topic}' is not a legal topic name (1-249 of a-z A-Z 0-9 . _ -)");
        }
        return topic;
    }

    /// <summary>Checks the folder now, so a long run does not end with nowhere to write its results.</summary>
    private static string? OutputPath(OptionReader r, string name)
    {
        if (r.Text(name) is not { } path)
        {
            return null;
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new UsageException($"{name} {path}: the folder {folder} does not exist");
        }
        if (Directory.Exists(path))
        {
            throw new UsageException($"{name} {path} is a folder; give a file name");
        }
        return path;
    }

    private static string? ExistingFile(OptionReader r, string name)
    {
        if (r.Text(name) is not { } path)
        {
            return null;
        }
        return File.Exists(path) ? path : throw new UsageException($"{name} {path}: no such file");
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]+$")]
    private static partial Regex TopicName();
}
