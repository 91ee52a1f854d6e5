using System.Buffers.Binary;
using FastLog.Storage.Index;

namespace FastLog.Storage.Verification;

/// <summary>The checks of a segment's two indexes against the batches actually found in its .log.</summary>
internal static class IndexChecks
{
    /// <summary>
    /// Every entry must name a batch exactly (its position is where a batch starts, its offset is that batch's
    /// base offset), with offsets strictly ascending.
    /// </summary>
    public static VerificationProblem? VerifyOffsetIndex(string path, long baseOffset, SegmentBatchList batches)
    {
        var previous = long.MinValue;
        return IndexEntryWalker.Walk(path, VerificationFileKind.Index, OffsetIndex.EntryBytes, baseOffset, (entry, filePosition) =>
        {
            var offset = baseOffset + BinaryPrimitives.ReadInt32BigEndian(entry);
            var logPosition = BinaryPrimitives.ReadInt32BigEndian(entry[4..]);
            string? reason = null;
            if (offset <= previous)
            {
                reason = $"not ascending: offset {offset} follows offset {previous}";
            }
            else if (!batches.TryFindAt(logPosition, out var batchOffset))
            {
                reason = $"entry points at log position {logPosition}, where no batch starts";
            }
            else if (batchOffset != offset)
            {
                reason = $"entry points at log position {logPosition}, where the batch starts at offset {batchOffset}";
            }
            previous = offset;
            return reason is null ? null : new VerificationProblem(path, VerificationFileKind.Index, offset, filePosition, reason);
        });
    }

    /// <summary>Timestamps must not go down, and every entry's offset must be the base offset of a batch of the segment.</summary>
    public static VerificationProblem? VerifyTimeIndex(string path, long baseOffset, SegmentBatchList batches)
    {
        var previous = long.MinValue;
        return IndexEntryWalker.Walk(path, VerificationFileKind.TimeIndex, TimeIndex.EntryBytes, baseOffset, (entry, filePosition) =>
        {
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(entry);
            var offset = baseOffset + BinaryPrimitives.ReadInt32BigEndian(entry[8..]);
            string? reason = null;
            if (timestamp < previous)
            {
                reason = $"not ascending: timestamp {timestamp} follows timestamp {previous}";
            }
            else if (!batches.IsBaseOffset(offset))
            {
                reason = $"entry for timestamp {timestamp} names offset {offset}, which is not the base offset of a batch in this segment";
            }
            previous = timestamp;
            return reason is null ? null : new VerificationProblem(path, VerificationFileKind.TimeIndex, offset, filePosition, reason);
        });
    }
}
