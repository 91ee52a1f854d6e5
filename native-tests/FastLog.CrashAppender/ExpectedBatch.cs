using System.Text;
using FastLog.Protocol.Records;

namespace FastLog.CrashAppender;

/// <summary>
/// The batch the appender writes at a given base offset. Content is a pure function of the offset, so the
/// test that kills the appender can rebuild, byte for byte, every batch that should be in the log.
/// </summary>
public static class ExpectedBatch
{
    public const int LeaderEpoch = 0;

    public static byte[] At(long baseOffset)
    {
        var count = 1 + (int)(baseOffset % 5);
        var valueBytes = 40 + (int)(baseOffset * 7 % 400);
        var records = new List<Record>(count);
        for (var i = 0; i < count; i++)
        {
            var offset = baseOffset + i;
            var value = new byte[valueBytes];
            for (var b = 0; b < value.Length; b++)
            {
                value[b] = (byte)(offset * 31 + b);
            }
            records.Add(new Record(offset, 1_700_000_000_000 + offset, Encoding.UTF8.GetBytes($"key-{offset % 97}"), value, []));
        }
        return RecordBatchBuilder.Build(new RecordBatchOptions { BaseOffset = baseOffset, PartitionLeaderEpoch = LeaderEpoch }, records);
    }
}
