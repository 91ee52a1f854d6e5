using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;
using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Workloads;

/// <summary>Fills the topic with --messages pooled messages, as fast as possible, before the consume workload reads it.</summary>
internal static class Preloader
{
    public static TallySnapshot Run(WorkloadContext context, long messages)
    {
        var pool = new PayloadPool(context.Options.RecordBytes);
        using var group = new ProducerGroup(context, (i, n) => new PooledMessages(pool, i, n), messages);
        var window = RunWindow.Unbounded(Clock.Now);
        group.Start(window, (_, _) => new AsFastAsPossible());
        var sampler = new RateSampler(window.Start);
        PhaseDriver.Run(
            window,
            onTick: now =>
            {
                group.Latency.Drain();
                var tally = group.Read();
                var (perSecond, bytesPerSecond) = sampler.Sample(now, tally.Delivered, tally.DeliveredBytes);
                var done = $"{Units.Count(tally.Delivered)} of {Units.Count(messages)}";
                context.Progress.Show(ProgressLine.Format(Clock.Seconds(now - window.Start), "preload", perSecond, bytesPerSecond, group.Latency.P99(Phase.Measured), done));
            },
            finished: () => group.AllFinished,
            context.Stop);
        context.Progress.End();
        var final = group.StopAndDrain();
        context.Progress.Note($"preloaded {Units.Count(final.Delivered)} messages into {context.Topic.Name} in {Units.Seconds(Clock.Seconds(Clock.Now - window.Start))}");
        return final;
    }
}
