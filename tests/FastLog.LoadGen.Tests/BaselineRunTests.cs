using System.Text.Json.Nodes;
using FastLog.TestSupport;

namespace FastLog.LoadGen.Tests;

/// <summary>The load generator run for real, as a CI job would: against a broker process, then against its own results.</summary>
public sealed class BaselineRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fastlog-loadgen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_run_passes_against_a_loose_baseline_and_fails_against_a_much_better_one()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var first = Path.Combine(_dir, "first.json");
        string[] workload = ["produce-max", "--bootstrap", broker.BootstrapServers, "--duration", "1", "--warmup", "0"];

        var recorded = Run([.. workload, "--json", first]);
        Assert.True(recorded.ExitCode == 0, recorded.ToString());

        var loose = Run([.. workload, "--baseline", first, "--max-regression", "10000"]); // only a hundredfold change fails
        Assert.True(loose.ExitCode == 0, loose.ToString());
        Assert.Contains("against --baseline", loose.Output);
        Assert.Matches(@"p99 latency .* ok", loose.Output);

        // The same run, recorded as a hundred times faster: this one must fail with the regression's exit code.
        var better = Path.Combine(_dir, "better.json");
        var json = JsonNode.Parse(File.ReadAllText(first))!;
        json["latencyMicros"]!["p99"] = Math.Max(1, json["latencyMicros"]!["p99"]!.GetValue<long>() / 100);
        json["rates"]!["messagesPerSecond"] = json["rates"]!["messagesPerSecond"]!.GetValue<double>() * 100;
        File.WriteAllText(better, json.ToJsonString());
        var strict = Run([.. workload, "--baseline", better]);
        Assert.True(strict.ExitCode == 4, strict.ToString());
        Assert.Contains("REGRESSED", strict.Output);

        // A baseline of another workload is refused before anything runs.
        var other = Run(["produce-rate", "--rate", "100", "--bootstrap", broker.BootstrapServers, "--duration", "1", "--warmup", "0", "--baseline", first]);
        Assert.True(other.ExitCode == 2, other.ToString());
        Assert.Contains("workload produce-max in the baseline, produce-rate now", other.Error);
    }

    private static ToolRun Run(string[] args) => ToolProcess.Run("FastLog.LoadGen.dll", args);
}
