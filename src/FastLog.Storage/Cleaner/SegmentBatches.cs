using FastLog.Protocol.Records;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Cleaner;

/// <summary>Receives one batch of a segment walk: its header, its bytes (mapped, valid only during the call) and position.</summary>
public delegate bool BatchVisitor(in RecordBatchHeader header, ReadOnlySpan<byte> batch, int position);

/// <summary>
/// Walks the batches of a segment in place, through its mapping, under one lease: the cleaner's passes read
/// every batch of the log, and a copy or a lease per batch would double their cost. Batch lengths are checked
/// against the segment, so a corrupt length ends the walk with <see cref="CorruptBatchException"/>, never an
/// overrun; CRCs are the visitor's to check where it needs them.
/// </summary>
public static class SegmentBatches
{
    /// <summary>Visits each batch in order until the visitor returns false or the segment ends.</summary>
    public static void ForEach(LogSegment segment, BatchVisitor visit) =>
        segment.WithBytes(0, segment.Size, (segment, visit), static (bytes, state) =>
        {
            for (var position = 0; position + RecordBatchLayout.HeaderSize <= bytes.Length;)
            {
                var header = RecordBatchHeader.Read(bytes[position..]);
                if (header.BatchLength < RecordBatchLayout.HeaderSize - RecordBatchLayout.LogOverhead || (long)position + header.TotalSize > bytes.Length)
                {
                    throw new CorruptBatchException(state.segment.LogFile.Path, header.BaseOffset, position, $"batch length {header.TotalSize} does not fit the segment");
                }
                if (!state.visit(header, bytes.Slice(position, header.TotalSize), position))
                {
                    break;
                }
                position += header.TotalSize;
            }
            return 0;
        });
}
