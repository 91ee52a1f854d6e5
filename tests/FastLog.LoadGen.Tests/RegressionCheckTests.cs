using FastLog.LoadGen.Cli;
using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Tests;

/// <summary>--baseline: which changes fail a run, and which baselines are refused before it.</summary>
public sealed class RegressionCheckTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fastlog-loadgen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_p99_within_the_tolerance_passes_and_one_beyond_it_fails()
    {
        var baseline = Result(p99Micros: 4000, messagesPerSecond: 5000, rate: 5000);

        var within = RegressionCheck.Compare(baseline, Result(p99Micros: 4300, messagesPerSecond: 4000, rate: 5000), maxRegressionPercent: 10);
        var beyond = RegressionCheck.Compare(baseline, Result(p99Micros: 4500, messagesPerSecond: 5000, rate: 5000), maxRegressionPercent: 10);

        Assert.False(within.Regressed); // a paced run's throughput is its target, not a measure
        Assert.Equal(["p99 latency 4.30 ms vs 4.00 ms: +7.5% (at most +10%) ok"], within.Lines);
        Assert.True(beyond.Regressed);
        Assert.Contains("+12.5% (at most +10%) REGRESSED", beyond.Lines.Single());
    }

    [Fact]
    public void An_unpaced_run_also_fails_on_throughput_and_a_faster_one_passes()
    {
        var baseline = Result(p99Micros: 20_000, messagesPerSecond: 500_000, rate: null);

        var slower = RegressionCheck.Compare(baseline, Result(p99Micros: 15_000, messagesPerSecond: 420_000, rate: null), maxRegressionPercent: 10);
        var faster = RegressionCheck.Compare(baseline, Result(p99Micros: 15_000, messagesPerSecond: 600_000, rate: null), maxRegressionPercent: 10);

        Assert.True(slower.Regressed);
        Assert.Contains(slower.Lines, l => l.StartsWith("throughput 420,000 vs 500,000 msg/s: -16.0%", StringComparison.Ordinal) && l.EndsWith("REGRESSED", StringComparison.Ordinal));
        Assert.False(faster.Regressed);
        Assert.All(faster.Lines, l => Assert.EndsWith(" ok", l));
    }

    [Fact]
    public void The_results_file_of_a_run_is_read_back_as_its_baseline()
    {
        var path = Path.Combine(_dir, "baseline.json");
        var written = Result(p99Micros: 1234, messagesPerSecond: 5000, rate: 5000);
        ResultsJson.Write(path, written);

        var read = RegressionCheck.Load(path);

        Assert.Equal(written.Workload, read.Workload);
        Assert.Equal(written.Options, read.Options);
        Assert.Equal(written.LatencyMicros, read.LatencyMicros);
        Assert.Equal(written.Rates, read.Rates);
    }

    [Fact]
    public void A_baseline_of_other_client_options_or_an_unreadable_file_is_refused()
    {
        var baseline = Result(p99Micros: 1000, messagesPerSecond: 5000, rate: 5000);
        var options = Options.Parse(["produce-rate", "--rate", "5000", "--acks", "all", "--record-bytes", "200"]);
        var garbage = Path.Combine(_dir, "garbage.json");
        File.WriteAllText(garbage, "not json");

        var differences = RegressionCheck.Differences(baseline, "produce-rate", options);

        Assert.Equal(["record bytes 100 in the baseline, 200 now", "acks 1 in the baseline, all now"], differences);
        Assert.Empty(RegressionCheck.Differences(baseline, "produce-rate", Options.Parse(["produce-rate", "--rate", "5000"])));
        Assert.Contains("not a results file", Assert.Throws<UsageException>(() => RegressionCheck.Load(garbage)).Message);
        var otherShape = Path.Combine(_dir, "other.json");
        File.WriteAllText(otherShape, "{\"workload\": \"produce-max\"}");
        Assert.Contains("not a results file", Assert.Throws<UsageException>(() => RegressionCheck.Load(otherShape)).Message);
        Assert.Equal(["partitions 1 in the baseline, 4 now"], RegressionCheck.Differences(baseline, "produce-rate", Options.Parse(["produce-rate", "--rate", "5000", "--partitions", "4"])));
    }

    [Fact]
    public void The_options_are_checked_before_a_run()
    {
        Assert.Contains("needs --baseline", Assert.Throws<UsageException>(() => Options.Parse(["produce-max", "--max-regression", "5"])).Message);
        Assert.Contains("no such file", Assert.Throws<UsageException>(() => Options.Parse(["produce-max", "--baseline", Path.Combine(_dir, "absent.json")])).Message);
    }

    private static RunResult Result(long p99Micros, double messagesPerSecond, double? rate) => new(
        rate is null ? "produce-max" : "produce-rate",
        new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc),
        new DateTime(2026, 11, 26, 12, 0, 20, DateTimeKind.Utc),
        new ResultOptions("127.0.0.1:9092", null, 1, 100, 1, "1", "none", 1, null, 10, 3, rate, null),
        new ResultTopic("loadgen-x", 1, true),
        "after-warmup",
        10,
        new ResultCounts(100, 100, 0, 0, 100, null, null, null),
        new ResultRates(messagesPerSecond, messagesPerSecond * 100 / 1e6, null, rate),
        "produce",
        new LatencySummary(50_000, 100, p99Micros / 4.0, p99Micros / 4, p99Micros / 2, p99Micros, p99Micros * 2, p99Micros * 3, p99Micros * 4),
        null,
        new Dictionary<string, Measurement.ErrorSummary>(),
        []);
}
