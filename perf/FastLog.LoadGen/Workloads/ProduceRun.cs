using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;
using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// The produce workloads' shared run: producers send pooled messages for warmup + duration, paced as the workload
/// says. Throughput counts the acknowledgements that arrived inside the measured window; latency covers every
/// message sent (or due) inside it, including those acknowledged during the drain after it.
/// </summary>
internal static class ProduceRun
{
    public static WorkloadOutcome Execute(WorkloadContext context, Func<RunWindow, int, int, ISendPacer> pacer)
    {
        var options = context.Options;
        var pool = new PayloadPool(options.RecordBytes);
        using var group = new ProducerGroup(context, (i, n) => new PooledMessages(pool, i, n), long.MaxValue);

        var window = new RunWindow(Clock.Now, options.WarmupSeconds, options.DurationSeconds);
        group.Start(window, (i, n) => pacer(window, i, n));

        var sampler = new RateSampler(window.Start);
        PhaseDriver.Run(
            window,
            onTick: now =>
            {
                group.Latency.Drain();
                var tally = group.Read();
                var (perSecond, bytesPerSecond) = sampler.Sample(now, tally.Delivered, tally.DeliveredBytes);
                var phase = window.PhaseOfSecondEndingAt(now);
                var failed = tally.Failed > 0 ? $"failed {Units.Count(tally.Failed)}" : null;
                context.Progress.Show(ProgressLine.Format(Clock.Seconds(now - window.Start), ProgressLine.StageOf(phase), perSecond, bytesPerSecond, group.Latency.P99(phase), failed));
            },
            finished: () => false,
            context.Stop);
        context.Progress.End();

        var final = group.StopAndDrain();
        var seconds = window.MeasuredSeconds;
        var notes = new List<string>();
        if (seconds == 0)
        {
            notes.Add("stopped during the warmup: nothing was measured");
        }
        var perSecond = seconds > 0 ? final.Measured / seconds : 0;
        if (options.Rate is { } target && seconds > 0 && perSecond < 0.99 * target)
        {
            notes.Add($"acknowledged {Units.Count(perSecond)} msg/s, below the --rate of {Units.Count(target)}: the producers fell behind the schedule, and the latencies include that wait");
        }

        return new WorkloadOutcome(
            seconds > 0 ? WorkloadOutcome.AfterWarmup : WorkloadOutcome.None,
            seconds,
            new ResultCounts(
                Sent: final.Sent,
                Delivered: final.Delivered,
                Failed: final.Failed,
                Undelivered: final.Outstanding,
                MeasuredDelivered: final.Measured,
                Consumed: null,
                MeasuredConsumed: null,
                NotConsumed: null),
            new ResultRates(perSecond, seconds > 0 ? final.MeasuredBytes / seconds / 1e6 : 0, ProducedMessagesPerSecond: null, options.Rate),
            "produce",
            group.Latency.Of(Phase.Measured),
            ProduceLatency: null,
            notes);
    }
}
