using Confluent.Kafka;
using FastLog.LoadGen.Cli;
using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;
using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// Runs one workload from start to exit code: checks the broker, prepares the topic, runs, prints the summary,
/// writes the JSON and the plot, and deletes the fresh topic.
/// </summary>
internal static class WorkloadRunner
{
    public static int Run(Options options, CancellationToken stop)
    {
        RunResult? baseline;
        try
        {
            baseline = LoadBaseline(options);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        var startUtc = DateTime.UtcNow;
        var progress = new ProgressLine();
        try
        {
            BootstrapGuard.Check(options.Bootstrap);
            using var admin = ClientFactory.Admin(options);
            var topic = TopicSetup.Prepare(admin, options);
            Console.WriteLine(Summary.Header(options, topic));
            try
            {
                var brokerSide = new BrokerSide(options);
                brokerSide.Before();
                var errors = new ErrorCounts();
                var context = new WorkloadContext(options, topic, errors, progress, stop);
                var outcome = options.Workload switch
                {
                    WorkloadKind.ProduceMax => ProduceMaxWorkload.Run(context),
                    WorkloadKind.ProduceRate => ProduceRateWorkload.Run(context),
                    WorkloadKind.EndToEnd => EndToEndWorkload.Run(context),
                    _ => ConsumeWorkload.Run(context),
                };
                if (stop.IsCancellationRequested)
                {
                    outcome = outcome with { Notes = [.. outcome.Notes, "stopped early by Ctrl+C"] };
                }
                var result = brokerSide.After(Results.Build(options, topic, startUtc, DateTime.UtcNow, outcome, errors.Read()));
                Console.Write(Summary.Text(result));
                Write(options.JsonPath, "results", path => ResultsJson.Write(path, result));
                if (outcome.Latency is { TotalCount: > 0 })
                {
                    Write(options.PlotPath, "plot", path => LatencyPlot.Write(path, result, outcome));
                }
                else if (options.PlotPath is not null)
                {
                    Console.Error.WriteLine("no plot written: no latency was measured");
                }
                if (!outcome.AllDelivered)
                {
                    return ExitCodes.DeliveryFailed;
                }
                if (baseline is not null && stop.IsCancellationRequested)
                {
                    Console.WriteLine($"not compared with --baseline {options.BaselinePath}: the run was stopped early");
                    return ExitCodes.Ok;
                }
                return baseline is null || !CompareWith(baseline, options, result) ? ExitCodes.Ok : ExitCodes.Regressed;
            }
            finally
            {
                if (topic.Created && !options.KeepTopic)
                {
                    TopicSetup.Delete(admin, topic);
                }
                else if (topic.Created)
                {
                    Console.WriteLine($"kept topic {topic.Name}");
                }
            }
        }
        catch (SetupException e)
        {
            progress.End();
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.SetupFailed;
        }
        catch (KafkaException e)
        {
            // A client that could not be made or a call the broker refused outside the measured paths.
            progress.End();
            Console.Error.WriteLine($"error: {e.Error.Code}: {e.Error.Reason}");
            return ExitCodes.SetupFailed;
        }
    }

    /// <summary>Before the run: a baseline that does not measure the same thing is refused at once.</summary>
    private static RunResult? LoadBaseline(Options options)
    {
        if (options.BaselinePath is not { } path)
        {
            return null;
        }
        var baseline = RegressionCheck.Load(path);
        var differences = RegressionCheck.Differences(baseline, WorkloadNames.Name(options.Workload), options);
        if (differences.Count > 0)
        {
            throw new UsageException($"--baseline {path} measured something else: {string.Join("; ", differences)}");
        }
        return baseline;
    }

    /// <summary>Prints the comparison; true when this run is worse than the baseline allows.</summary>
    private static bool CompareWith(RunResult baseline, Options options, RunResult result)
    {
        var (lines, regressed) = RegressionCheck.Compare(baseline, result, options.MaxRegressionPercent);
        Console.WriteLine($"against --baseline {options.BaselinePath} (from {baseline.StartUtc:yyyy-MM-dd HH:mm} UTC):");
        foreach (var line in lines)
        {
            Console.WriteLine($"  {line}");
        }
        return regressed;
    }

    private static void Write(string? path, string what, Action<string> write)
    {
        if (path is null)
        {
            return;
        }
        write(path);
        Console.WriteLine($"{what} written to {path}");
    }
}
