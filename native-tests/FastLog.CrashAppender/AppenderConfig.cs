using FastLog.Storage;

namespace FastLog.CrashAppender;

/// <summary>The log settings the appender runs with; the test reopens the log with the same ones.</summary>
public static class AppenderConfig
{
    public static LogConfig For(int segmentBytes, SegmentPreallocation preallocation) => new()
    {
        SegmentBytes = segmentBytes,
        IndexIntervalBytes = 512,
        MaxIndexBytes = 64 * 1024,
        Preallocation = preallocation,
        ZeroAheadBytes = 64 * 1024,
        PrepareAheadBytes = 256 * 1024,
    };
}
