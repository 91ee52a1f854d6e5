using FastLog.LoadGen.Measurement;
using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// consume: optionally preloads --messages, then reads the topic from the beginning until every partition reports
/// its end (or warmup + duration pass). Records received in the first --warmup seconds are left out; a topic read
/// completely inside the warmup is reported over the whole read instead, from first to last record, and says so.
/// </summary>
internal static class ConsumeWorkload
{
    public static WorkloadOutcome Run(WorkloadContext context)
    {
        var options = context.Options;
        TallySnapshot? preload = options.Messages is { } messages ? Preloader.Run(context, messages) : null;
        if (context.Stop.IsCancellationRequested)
        {
            return Outcome(WorkloadOutcome.None, 0, default, 0, 0, preload, ["stopped during the preload: nothing was read"]);
        }

        using var reader = new TopicReader(context);
        var window = new RunWindow(Clock.Now, options.WarmupSeconds, options.DurationSeconds);
        reader.Start(window);

        var sampler = new RateSampler(window.Start);
        PhaseDriver.Run(
            window,
            onTick: now =>
            {
                var tally = reader.Tally.Read();
                var (perSecond, bytesPerSecond) = sampler.Sample(now, tally.Records, tally.Bytes);
                var stage = ProgressLine.StageOf(window.PhaseOfSecondEndingAt(now));
                context.Progress.Show(ProgressLine.Format(Clock.Seconds(now - window.Start), stage, perSecond, bytesPerSecond, null, $"read {Units.Count(tally.Records)}", hasLatency: false));
            },
            finished: () => reader.ReachedEnd,
            context.Stop);
        context.Progress.End();
        reader.Stop();
        var total = reader.Tally.Read();
        var notes = new List<string>();
        if (total.Records == 0)
        {
            notes.Add("the topic held no records");
            return Outcome(WorkloadOutcome.None, 0, total, 0, 0, preload, notes);
        }
        if (!reader.ReachedEnd)
        {
            notes.Add("the end of the topic was not reached within warmup + duration");
        }

        var lastRecordAt = reader.LastRecordAt;
        if (lastRecordAt < window.WarmupEnd || window.MeasuredSeconds == 0)
        {
            // Nothing was read after the warmup: report the whole read rather than nothing.
            notes.Add($"the whole topic was read within the --warmup of {options.WarmupSeconds} s; the figures cover the whole read, first to last record (preload more, or use --warmup 0)");
            return Outcome(WorkloadOutcome.WholeRead, Clock.Seconds(lastRecordAt - reader.FirstRecordAt), total, total.Records, total.Bytes, preload, notes);
        }
        // A read that reached the end stops the clock at its last record, not at the moment the end was noticed.
        var seconds = reader.ReachedEnd ? Clock.Seconds(lastRecordAt - window.WarmupEnd) : window.MeasuredSeconds;
        return Outcome(WorkloadOutcome.AfterWarmup, seconds, total, total.Measured, total.MeasuredBytes, preload, notes);
    }

    private static WorkloadOutcome Outcome(string window, double seconds, ConsumeSnapshot total, long records, long bytes, TallySnapshot? preload, IReadOnlyList<string> notes) =>
        new(
            window,
            seconds,
            new ResultCounts(
                Sent: preload?.Sent,
                Delivered: preload?.Delivered,
                Failed: preload?.Failed,
                Undelivered: preload?.Outstanding,
                MeasuredDelivered: null,
                Consumed: total.Records,
                MeasuredConsumed: records,
                NotConsumed: null),
            new ResultRates(
                seconds > 0 ? records / seconds : 0,
                seconds > 0 ? bytes / seconds / 1e6 : 0,
                ProducedMessagesPerSecond: null,
                TargetMessagesPerSecond: null),
            LatencyKind: null,
            Latency: null,
            ProduceLatency: null,
            notes);
}
