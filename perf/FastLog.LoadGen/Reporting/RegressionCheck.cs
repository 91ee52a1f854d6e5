using System.Globalization;
using System.Text.Json;
using FastLog.LoadGen.Cli;

namespace FastLog.LoadGen.Reporting;

/// <summary>
/// `--baseline FILE`: compares this run with an earlier run's `--json` results, for a CI job that must fail when
/// the latency or the throughput got worse. The p99 latency may rise and the throughput (for workloads that run as
/// fast as they can) may fall by at most `--max-regression` percent. A baseline of another workload, record size,
/// acks, compression, linger, rate or client count is refused before the run: its figures would not compare.
/// Keep the tolerance wide enough for the machine's noise, or record the baseline on the same machine just before.
/// </summary>
internal static class RegressionCheck
{
    private static readonly JsonSerializerOptions Settings = new() { PropertyNameCaseInsensitive = true };

    /// <summary>The baseline's results; a missing or unreadable file is a command-line error.</summary>
    public static RunResult Load(string path)
    {
        try
        {
            var baseline = JsonSerializer.Deserialize<RunResult>(File.ReadAllText(path), Settings);
            // Valid JSON of another shape leaves the parts this check reads null.
            if (baseline is not { Workload: not null, Options: not null, Rates: not null, Topic: not null })
            {
                throw new UsageException($"--baseline {path}: not a results file of --json (no workload, options, topic or rates)");
            }
            return baseline;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            throw new UsageException($"--baseline {path}: not a results file of --json ({e.Message})");
        }
    }

    /// <summary>Why the baseline does not measure the same thing as a run with these options; empty when it does.</summary>
    public static IReadOnlyList<string> Differences(RunResult baseline, string workload, Options options)
    {
        var differences = new List<string>();
        void Same<T>(string name, T was, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(was, now))
            {
                differences.Add($"{name} {Text(was)} in the baseline, {Text(now)} now");
            }
        }
        Same("workload", baseline.Workload, workload);
        Same("record bytes", baseline.Options.RecordBytes, options.RecordBytes);
        Same("producers", baseline.Options.Producers, options.Producers);
        Same("acks", baseline.Options.Acks, options.Acks);
        Same("compression", baseline.Options.Compression, options.Compression);
        Same("linger ms", baseline.Options.LingerMs, options.LingerMs);
        Same("batch bytes", baseline.Options.BatchBytes, options.BatchBytes);
        Same("rate", baseline.Options.Rate, options.Rate);
        Same("messages", baseline.Options.Messages, options.Messages);
        if (options.Topic is null)
        {
            Same("partitions", baseline.Topic.Partitions, options.Partitions); // an existing --topic has its own
        }
        return differences;
    }

    /// <summary>One line per compared figure, and whether any got worse by more than the tolerance.</summary>
    public static (IReadOnlyList<string> Lines, bool Regressed) Compare(RunResult baseline, RunResult current, double maxRegressionPercent)
    {
        var lines = new List<string>();
        var regressed = false;
        if (baseline.LatencyMicros is { Count: > 0 } was && current.LatencyMicros is { Count: > 0 } now)
        {
            var change = Percent(now.P99, was.P99);
            var worse = change > maxRegressionPercent;
            regressed |= worse;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"p99 latency {Units.Latency(now.P99)} vs {Units.Latency(was.P99)}: {change:+0.0;-0.0;0.0}% (at most +{maxRegressionPercent:0.#}%) {(worse ? "REGRESSED" : "ok")}"));
        }
        else if (baseline.LatencyMicros is { Count: > 0 })
        {
            regressed = true;
            lines.Add("p99 latency: the baseline has one, this run measured none REGRESSED");
        }
        // Throughput is the measure only where the run goes as fast as it can; a paced run's rate is its target.
        if (current.Options.Rate is null)
        {
            var change = Percent(current.Rates.MessagesPerSecond, baseline.Rates.MessagesPerSecond);
            var worse = -change > maxRegressionPercent;
            regressed |= worse;
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"throughput {Units.Count(current.Rates.MessagesPerSecond)} vs {Units.Count(baseline.Rates.MessagesPerSecond)} msg/s: {change:+0.0;-0.0;0.0}% (at least -{maxRegressionPercent:0.#}%) {(worse ? "REGRESSED" : "ok")}"));
        }
        return (lines, regressed);
    }

    private static double Percent(double now, double was) =>
        was > 0 ? (now - was) / was * 100 : now > 0 ? double.PositiveInfinity : 0;

    private static string Text<T>(T value) => value?.ToString() ?? "default";
}
