using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;
using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// end-to-end: producers (as fast as possible, or on the --rate schedule) and one consumer on the same topic.
/// Latency runs from each record's send instant (its due time when paced) to the moment the consumer receives it;
/// throughput is what the consumer received inside the measured window.
/// </summary>
internal static class EndToEndWorkload
{
    /// <summary>
    /// After the producers have drained, the consumer may keep catching up as long as records keep arriving (up to
    /// a minute); a 10 s silence means the rest is not coming.
    /// </summary>
    private static readonly TimeSpan CatchUpStall = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan CatchUpLimit = TimeSpan.FromSeconds(60);

    public static WorkloadOutcome Run(WorkloadContext context)
    {
        var options = context.Options;
        var pool = new PayloadPool(options.RecordBytes);
        using var consumer = new LatencyConsumer(context);
        using var group = new ProducerGroup(context, (i, n) => new StampedMessages(pool, i, n), long.MaxValue);
        var endToEnd = new LatencyTotals();
        endToEnd.Track(consumer.Latency);

        var window = new RunWindow(Clock.Now, options.WarmupSeconds, options.DurationSeconds);
        consumer.Start(window);
        group.Start(window, (i, n) => options.Rate is { } rate ? new PacedSchedule(window.Start, rate, i, n) : new AsFastAsPossible());

        var consumedRate = new RateSampler(window.Start);
        var producedRate = new RateSampler(window.Start);
        PhaseDriver.Run(
            window,
            onTick: now =>
            {
                endToEnd.Drain();
                var consumed = consumer.Tally.Read();
                var produced = group.Read();
                var (perSecond, bytesPerSecond) = consumedRate.Sample(now, consumed.Records, consumed.Bytes);
                var (producedPerSecond, _) = producedRate.Sample(now, produced.Delivered, produced.DeliveredBytes);
                var phase = window.PhaseOfSecondEndingAt(now);
                var extra = $"(produced {Units.Count(producedPerSecond)} msg/s{(produced.Failed > 0 ? $", failed {Units.Count(produced.Failed)}" : "")})";
                context.Progress.Show(ProgressLine.Format(Clock.Seconds(now - window.Start), ProgressLine.StageOf(phase), perSecond, bytesPerSecond, endToEnd.P99(phase), extra));
            },
            finished: () => false,
            context.Stop);
        context.Progress.End();

        var producedFinal = group.StopAndDrain();
        if (consumer.Tally.Read().Records < producedFinal.Delivered)
        {
            context.Progress.Note($"waiting for the consumer to catch up ({Units.Count(producedFinal.Delivered - consumer.Tally.Read().Records)} to go)");
        }
        consumer.WaitFor(producedFinal.Delivered, CatchUpStall, CatchUpLimit);
        consumer.Stop();
        endToEnd.Drain();
        var consumedFinal = consumer.Tally.Read();

        var seconds = window.MeasuredSeconds;
        var notConsumed = Math.Max(0, producedFinal.Delivered - consumedFinal.Records);
        var notes = new List<string>();
        if (seconds == 0)
        {
            notes.Add("stopped during the warmup: nothing was measured");
        }
        if (notConsumed > 0)
        {
            notes.Add($"{Units.Count(notConsumed)} acknowledged messages were not consumed (no record for {CatchUpStall.TotalSeconds:0} s, or {CatchUpLimit.TotalSeconds:0} s in all, after the producers drained)");
        }
        if (consumer.Unmeasured > 0)
        {
            notes.Add($"{Units.Count(consumer.Unmeasured)} consumed records had no send time from this run (another writer's?) and are left out of the latency");
        }
        if (options.RecordBytes < SendStamp.Bytes)
        {
            notes.Add($"--record-bytes {options.RecordBytes} leaves no room for the {SendStamp.Bytes}-byte send stamp: latencies come from the record timestamp, to the millisecond");
        }

        return new WorkloadOutcome(
            seconds > 0 ? WorkloadOutcome.AfterWarmup : WorkloadOutcome.None,
            seconds,
            new ResultCounts(
                Sent: producedFinal.Sent,
                Delivered: producedFinal.Delivered,
                Failed: producedFinal.Failed,
                Undelivered: producedFinal.Outstanding,
                MeasuredDelivered: producedFinal.Measured,
                Consumed: consumedFinal.Records,
                MeasuredConsumed: consumedFinal.Measured,
                NotConsumed: notConsumed),
            new ResultRates(
                seconds > 0 ? consumedFinal.Measured / seconds : 0,
                seconds > 0 ? consumedFinal.MeasuredBytes / seconds / 1e6 : 0,
                seconds > 0 ? producedFinal.Measured / seconds : 0,
                options.Rate),
            "end-to-end",
            endToEnd.Of(Phase.Measured),
            group.Latency.Of(Phase.Measured),
            notes);
    }
}
