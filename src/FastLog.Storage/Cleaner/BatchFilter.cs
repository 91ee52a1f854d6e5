using System.Buffers;
using System.Buffers.Binary;
using FastLog.Protocol.Compression;
using FastLog.Protocol.Records;

namespace FastLog.Storage.Cleaner;

/// <summary>What the cleaner does with one batch.</summary>
public enum BatchOutcome
{
    /// <summary>Every record stays: the batch is copied byte for byte.</summary>
    Kept,

    /// <summary>Some records go (or a delete horizon is stamped): the batch is rebuilt from those that stay.</summary>
    Rewritten,

    /// <summary>No record stays and nothing needs the batch: it is left out.</summary>
    Dropped,
}

/// <summary>
/// Decides which records of a batch survive cleaning and rebuilds the batch from them. A record stays when it
/// has a key, is the latest for that key (by the offset map; keys the map has not seen are kept), and is not a
/// tombstone whose delete horizon has passed. A rebuilt batch keeps its base offset, last offset delta, codec,
/// leader epoch and producer id / epoch / base sequence, so offsets, compression and a producer's sequence
/// range read back as before (Kafka's filterTo does the same).
/// A batch that loses every record is dropped, unless it is the last batch of a producer the log still tracks:
/// then it stays, empty, so the producer's epoch and sequence can be rebuilt from the log (Kafka does the same).
/// Transactions (by <see cref="TransactionOutcomes"/>): committed data is cleaned like any other; aborted data
/// is removed (and never entered the key map, so it hides nothing); data whose transaction has no marker yet is
/// kept whole. A marker stays while any data of its transaction does; once none is left it gets a delete
/// horizon, and goes at the first cleaning after it — Kafka's rules, so that a read_committed consumer never
/// meets data without its marker.
/// </summary>
/// <param name="producerLastOffsets">Each tracked producer's last offset (<see cref="PartitionLog.ProducerLastOffsets"/>).</param>
public sealed class BatchFilter(OffsetMap map, long nowMs, long deleteRetentionMs, IReadOnlyDictionary<long, long>? producerLastOffsets = null, TransactionOutcomes? transactions = null)
{
    /// <summary>Producers whose current transaction still has data in the cleaned log, up to its marker.</summary>
    private readonly HashSet<long> _transactionsWithData = [];
    private readonly List<Record> _retained = [];
    private readonly ArrayBufferWriter<byte> _plain = new(64 * 1024);

    public long RecordsRead { get; private set; }
    public long RecordsRemoved { get; private set; }

    /// <summary>
    /// Filters one validated batch. <paramref name="output"/> receives the new batch when the outcome is
    /// <see cref="BatchOutcome.Rewritten"/>.
    /// </summary>
    public BatchOutcome Filter(ReadOnlySpan<byte> batch, ArrayBufferWriter<byte> output)
    {
        var header = RecordBatchHeader.Read(batch);
        RecordsRead += header.RecordsCount;
        if (header.IsControl)
        {
            return FilterMarker(header, batch, output);
        }
        if (header.IsTransactional)
        {
            switch (transactions?.OutcomeOf(header.ProducerId, header.BaseOffset) ?? TransactionOutcome.Unknown)
            {
                case TransactionOutcome.Unknown:
                    _transactionsWithData.Add(header.ProducerId);
                    return BatchOutcome.Kept;
                case TransactionOutcome.Aborted:
                    RecordsRemoved += header.RecordsCount;
                    return DropOrEmpty(header, output);
            }
        }
        var section = header.Compression == CompressionType.None
            ? batch[RecordBatchLayout.Records..header.TotalSize]
            : RecordBatchReader.RecordsSection(batch).Span;
        var horizonPassed = header.HasDeleteHorizon && nowMs >= header.BaseTimestamp;

        var retained = 0;
        var retainsTombstone = false;
        var reader = new RecordReader(section);
        while (reader.TryRead(out var record))
        {
            if (Retains(record, header.BaseOffset + record.OffsetDelta, horizonPassed))
            {
                retained++;
                retainsTombstone |= !record.HasValue;
            }
        }
        RecordsRemoved += header.RecordsCount - retained;
        if (header.IsTransactional && retained > 0)
        {
            _transactionsWithData.Add(header.ProducerId);
        }
        if (retained == header.RecordsCount && (!retainsTombstone || header.HasDeleteHorizon))
        {
            return BatchOutcome.Kept;
        }
        if (retained == 0)
        {
            return DropOrEmpty(header, output);
        }
        Rebuild(header, batch, section, horizonPassed, retainsTombstone, output);
        return BatchOutcome.Rewritten;
    }

    /// <summary>A batch with no record left goes, unless it is a producer's last: that one stays, empty.</summary>
    private BatchOutcome DropOrEmpty(in RecordBatchHeader header, ArrayBufferWriter<byte> output)
    {
        if (header.ProducerId >= 0 && producerLastOffsets?.GetValueOrDefault(header.ProducerId, -1) == header.LastOffset)
        {
            WriteEmpty(header, output);
            return BatchOutcome.Rewritten;
        }
        return BatchOutcome.Dropped;
    }

    /// <summary>A transaction marker: kept while its transaction has data left; then stamped, and dropped after its horizon.</summary>
    private BatchOutcome FilterMarker(in RecordBatchHeader header, ReadOnlySpan<byte> batch, ArrayBufferWriter<byte> output)
    {
        var dataKept = _transactionsWithData.Remove(header.ProducerId);
        if (dataKept || (transactions?.OutcomeOf(header.ProducerId, header.BaseOffset) ?? TransactionOutcome.Unknown) == TransactionOutcome.Unknown)
        {
            return BatchOutcome.Kept;
        }
        if (header.HasDeleteHorizon)
        {
            if (nowMs < header.BaseTimestamp)
            {
                return BatchOutcome.Kept;
            }
            RecordsRemoved += header.RecordsCount;
            return BatchOutcome.Dropped;
        }
        var start = output.WrittenCount;
        RecordBatchBuilder.Write(new RecordBatchOptions
        {
            BaseOffset = header.BaseOffset,
            PartitionLeaderEpoch = header.PartitionLeaderEpoch,
            LogAppendTime = header.IsLogAppendTime,
            Transactional = header.IsTransactional,
            Control = true,
            DeleteHorizonMs = nowMs + deleteRetentionMs,
            ProducerId = header.ProducerId,
            ProducerEpoch = header.ProducerEpoch,
            BaseSequence = header.BaseSequence,
        }, RecordBatchReader.ReadRecords(batch), output);
        KeepOffsetRange(header, output, start);
        return BatchOutcome.Rewritten;
    }

    private bool Retains(in RecordView record, long offset, bool horizonPassed)
    {
        if (!record.HasKey)
        {
            return false; // a keyless record in a compacted log can never be looked up: Kafka's cleaner drops it too
        }
        if (map.Get(record.Key) > offset)
        {
            return false;
        }
        return record.HasValue || !horizonPassed;
    }

    private void Rebuild(in RecordBatchHeader header, ReadOnlySpan<byte> batch, ReadOnlySpan<byte> section, bool horizonPassed, bool retainsTombstone, ArrayBufferWriter<byte> output)
    {
        if (header.HasDeleteHorizon || !retainsTombstone)
        {
            CopyRetainedRecords(header, batch, section, horizonPassed, output);
        }
        else
        {
            Reencode(header, section, horizonPassed, output);
        }
    }

    /// <summary>
    /// The common case: the base offset and base timestamp stay, so the kept records' bytes (whose offset and
    /// timestamp are deltas from those) are copied as they are, behind the original header; only the records
    /// section is compressed again, with the batch's codec.
    /// </summary>
    private void CopyRetainedRecords(in RecordBatchHeader header, ReadOnlySpan<byte> batch, ReadOnlySpan<byte> section, bool horizonPassed, ArrayBufferWriter<byte> output)
    {
        _plain.ResetWrittenCount();
        var retained = 0;
        var maxTimestamp = long.MinValue;
        var reader = new RecordReader(section);
        var start = 0;
        while (reader.TryRead(out var record))
        {
            if (Retains(record, header.BaseOffset + record.OffsetDelta, horizonPassed))
            {
                _plain.Write(section.Slice(start, record.SizeInBytes));
                maxTimestamp = Math.Max(maxTimestamp, header.BaseTimestamp + record.TimestampDelta);
                retained++;
            }
            start = section.Length - reader.RemainingBytes;
        }
        var begin = output.WrittenCount;
        output.Write(batch[..RecordBatchLayout.HeaderSize]);
        if (header.Compression == CompressionType.None)
        {
            output.Write(_plain.WrittenSpan);
        }
        else
        {
            RecordCompression.Compress(header.Compression, _plain.WrittenSpan, output);
        }
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(output.WrittenMemory[begin..]).Span;
        BinaryPrimitives.WriteInt32BigEndian(written[RecordBatchLayout.BatchLength..], written.Length - RecordBatchLayout.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(written[RecordBatchLayout.RecordsCount..], retained);
        if (!header.IsLogAppendTime)
        {
            BinaryPrimitives.WriteInt64BigEndian(written[RecordBatchLayout.MaxTimestamp..], maxTimestamp);
        }
        RecordBatchBuilder.RewriteCrc(written);
    }

    /// <summary>A delete horizon is stamped: it becomes the base timestamp, so every kept record is encoded anew.</summary>
    private void Reencode(in RecordBatchHeader header, ReadOnlySpan<byte> section, bool horizonPassed, ArrayBufferWriter<byte> output)
    {
        _retained.Clear();
        var reader = new RecordReader(section);
        while (reader.TryRead(out var record))
        {
            var offset = header.BaseOffset + record.OffsetDelta;
            if (Retains(record, offset, horizonPassed))
            {
                // With LogAppendTime every record's timestamp is the batch's max timestamp (Kafka's DefaultRecordBatch).
                var timestamp = header.IsLogAppendTime ? header.MaxTimestamp : header.BaseTimestamp + record.TimestampDelta;
                _retained.Add(new Record(offset, timestamp, record.Key.ToArray(), record.HasValue ? record.Value.ToArray() : null, RecordReader.DecodeHeaders(record)));
            }
        }
        // KIP-534: a tombstone's delete horizon is stamped the first time it is cleaned, and it is removed by the
        // first cleaning after the horizon.
        var start = output.WrittenCount;
        RecordBatchBuilder.Write(new RecordBatchOptions
        {
            BaseOffset = header.BaseOffset,
            PartitionLeaderEpoch = header.PartitionLeaderEpoch,
            Compression = header.Compression,
            LogAppendTime = header.IsLogAppendTime,
            Transactional = header.IsTransactional,
            DeleteHorizonMs = nowMs + deleteRetentionMs,
            ProducerId = header.ProducerId,
            ProducerEpoch = header.ProducerEpoch,
            BaseSequence = header.BaseSequence,
        }, _retained, output);
        KeepOffsetRange(header, output, start);
    }

    /// <summary>
    /// A batch with no record left, kept for its offset range (Kafka writes such batches to keep a producer's
    /// state). Clients skip it; the cleaner writes one only at the end of a group, so they never meet many in a row.
    /// </summary>
    public static void WriteEmpty(in RecordBatchHeader header, ArrayBufferWriter<byte> output)
    {
        var start = output.WrittenCount;
        var bytes = output.GetSpan(RecordBatchLayout.HeaderSize)[..RecordBatchLayout.HeaderSize];
        bytes.Clear();
        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchLayout.BaseOffset..], header.BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchLayout.BatchLength..], RecordBatchLayout.HeaderSize - RecordBatchLayout.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchLayout.PartitionLeaderEpoch..], header.PartitionLeaderEpoch);
        bytes[RecordBatchLayout.Magic] = RecordBatchLayout.CurrentMagic;
        // No records, so no codec; the timestamp type stays, and the transactional flag of a data batch. An emptied
        // marker (kept only for its offsets) becomes a plain empty batch: a marker without its record is no marker.
        var kept = RecordBatchAttributes.TimestampTypeLogAppendTime | (header.IsControl ? 0 : RecordBatchAttributes.Transactional);
        var attributes = (short)(header.Attributes & kept);
        BinaryPrimitives.WriteInt16BigEndian(bytes[RecordBatchLayout.Attributes..], attributes);
        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchLayout.BaseTimestamp..], header.MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchLayout.MaxTimestamp..], header.MaxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchLayout.ProducerId..], header.ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(bytes[RecordBatchLayout.ProducerEpoch..], header.ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchLayout.BaseSequence..], header.BaseSequence);
        output.Advance(RecordBatchLayout.HeaderSize);
        KeepOffsetRange(header, output, start);
    }

    /// <summary>Restores the original last offset delta (the builder ends at the last kept record) and the CRC.</summary>
    private static void KeepOffsetRange(in RecordBatchHeader original, ArrayBufferWriter<byte> output, int start)
    {
        var written = System.Runtime.InteropServices.MemoryMarshal.AsMemory(output.WrittenMemory[start..]).Span;
        BinaryPrimitives.WriteInt32BigEndian(written[RecordBatchLayout.LastOffsetDelta..], original.LastOffsetDelta);
        RecordBatchBuilder.RewriteCrc(written);
    }
}
