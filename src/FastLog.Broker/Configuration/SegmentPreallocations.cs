using FastLog.Storage;

namespace FastLog.Broker.Configuration;

/// <summary>log.preallocation, FastLog's own broker config: how new segment files are prepared (see SegmentPreallocation).</summary>
internal static class SegmentPreallocations
{
    public const string None = "none";
    public const string Fallocate = "fallocate";
    public const string ZeroAhead = "zero-ahead";
    public const string Prepared = "prepared";

    public static SegmentPreallocation From(string value) => value switch
    {
        None => SegmentPreallocation.None,
        Fallocate => SegmentPreallocation.Fallocate,
        ZeroAhead => SegmentPreallocation.ZeroAhead,
        Prepared => SegmentPreallocation.Prepared,
        _ => throw new ArgumentException($"unknown preallocation '{value}'", nameof(value)),
    };
}
