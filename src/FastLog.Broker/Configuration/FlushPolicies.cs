using FastLog.Storage;

namespace FastLog.Broker.Configuration;

/// <summary>The values of flush.policy / log.flush.policy (FastLog's own config).</summary>
public static class FlushPolicies
{
    public const string PerBatch = "per-batch";
    public const string Interval = "interval";
    public const string None = "none";

    public static LogFlushPolicy From(string value) => value switch
    {
        PerBatch => LogFlushPolicy.PerBatch,
        Interval => LogFlushPolicy.Interval,
        None => LogFlushPolicy.None,
        _ => throw new ArgumentException($"unknown flush policy '{value}'", nameof(value)),
    };

    /// <summary>The config value of a policy, as operators write it.</summary>
    public static string Name(LogFlushPolicy policy) => policy switch
    {
        LogFlushPolicy.Interval => Interval,
        LogFlushPolicy.None => None,
        _ => PerBatch,
    };
}
