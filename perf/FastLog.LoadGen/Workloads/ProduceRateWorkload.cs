using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// produce-rate: --rate messages per second over all producers on a fixed schedule; latency is from each message's
/// due time to its delivery report (see <see cref="PacedSchedule"/>).
/// </summary>
internal static class ProduceRateWorkload
{
    public static WorkloadOutcome Run(WorkloadContext context)
    {
        var rate = context.Options.Rate ?? throw new InvalidOperationException("produce-rate without --rate passed validation");
        return ProduceRun.Execute(context, (window, i, n) => new PacedSchedule(window.Start, rate, i, n));
    }
}
