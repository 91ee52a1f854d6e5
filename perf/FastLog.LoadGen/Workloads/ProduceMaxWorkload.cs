using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Workloads;

/// <summary>produce-max: every producer sends as fast as librdkafka accepts; latency is Produce() call to delivery report.</summary>
internal static class ProduceMaxWorkload
{
    public static WorkloadOutcome Run(WorkloadContext context) =>
        ProduceRun.Execute(context, (_, _, _) => new AsFastAsPossible());
}
