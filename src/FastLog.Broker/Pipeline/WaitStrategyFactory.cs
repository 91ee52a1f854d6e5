using FastLog.Broker.Profiles;

namespace FastLog.Broker.Pipeline;

/// <summary>The wait strategy a profile names (ring.waitStrategy).</summary>
public static class WaitStrategyFactory
{
    /// <summary>How long phased-backoff spins and yields before it blocks: about one fdatasync here.</summary>
    private static readonly TimeSpan PhasedYieldFor = TimeSpan.FromMilliseconds(1);

    public static IWaitStrategy Create(string name) => name switch
    {
        WaitStrategies.BusySpin => new BusySpinWaitStrategy(),
        WaitStrategies.Yielding => new YieldingWaitStrategy(),
        WaitStrategies.Blocking => new BlockingWaitStrategy(),
        WaitStrategies.PhasedBackoff => new PhasedBackoffWaitStrategy(PhasedYieldFor),
        _ => throw new ArgumentException($"unknown wait strategy '{name}'", nameof(name)),
    };
}
