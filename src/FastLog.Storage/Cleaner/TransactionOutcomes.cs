using FastLog.Protocol.Records;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Cleaner;

/// <summary>How a transactional batch's transaction ended, as far as the log shows.</summary>
public enum TransactionOutcome
{
    /// <summary>No marker follows it below the scanned offset: still open, or cut off. Kept whole.</summary>
    Unknown,
    Committed,
    Aborted,
}

/// <summary>
/// The transactions of a log up to an offset, found by a walk over the batch headers (FastLog has no
/// transaction index yet; only control batches are decoded, one record each). A producer runs one transaction
/// at a time: its transactional batches up to its next marker are that transaction, and the marker says
/// commit or abort. The first batch of a transaction without a marker is the first unstable offset: cleaning
/// stops before it, as Kafka's stops at the last stable offset.
/// </summary>
public sealed class TransactionOutcomes
{
    private readonly Dictionary<long, List<(long First, long Marker, TransactionOutcome Outcome)>> _byProducer = [];

    private TransactionOutcomes()
    {
    }

    /// <summary>The first offset of the earliest transaction still open at the end of the walk; long.MaxValue if none.</summary>
    public long FirstUnstableOffset { get; private set; } = long.MaxValue;

    public bool IsEmpty => _byProducer.Count == 0 && FirstUnstableOffset == long.MaxValue;

    /// <summary>Walks the batches of <paramref name="segments"/> below <paramref name="upTo"/>.</summary>
    public static TransactionOutcomes Scan(IReadOnlyList<LogSegment> segments, long upTo)
    {
        var outcomes = new TransactionOutcomes();
        var open = new Dictionary<long, long>();
        foreach (var segment in segments)
        {
            if (segment.BaseOffset >= upTo)
            {
                break;
            }
            SegmentBatches.ForEach(segment, (in RecordBatchHeader header, ReadOnlySpan<byte> batch, int _) =>
            {
                if (header.BaseOffset >= upTo)
                {
                    return false;
                }
                if (header.IsControl)
                {
                    outcomes.Close(open, header, MarkerType(batch));
                }
                else if (header.IsTransactional)
                {
                    open.TryAdd(header.ProducerId, header.BaseOffset);
                }
                return true;
            });
        }
        outcomes.FirstUnstableOffset = open.Count == 0 ? long.MaxValue : open.Values.Min();
        return outcomes;
    }

    /// <summary>The outcome of the transaction the batch at <paramref name="offset"/> of this producer belongs to.</summary>
    public TransactionOutcome OutcomeOf(long producerId, long offset)
    {
        if (!_byProducer.TryGetValue(producerId, out var transactions))
        {
            return TransactionOutcome.Unknown;
        }
        // A producer's transactions follow one another, so they are sorted by first offset.
        var low = 0;
        var high = transactions.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (transactions[middle].First <= offset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        var (first, marker, outcome) = transactions[low];
        return offset >= first && offset <= marker ? outcome : TransactionOutcome.Unknown;
    }

    private void Close(Dictionary<long, long> open, in RecordBatchHeader marker, ControlRecordType? type)
    {
        var first = open.Remove(marker.ProducerId, out var start) ? start : marker.BaseOffset;
        var outcome = type switch
        {
            ControlRecordType.Commit => TransactionOutcome.Committed,
            ControlRecordType.Abort => TransactionOutcome.Aborted,
            _ => TransactionOutcome.Unknown, // a marker of a kind FastLog does not know: keep everything
        };
        if (!_byProducer.TryGetValue(marker.ProducerId, out var transactions))
        {
            transactions = [];
            _byProducer[marker.ProducerId] = transactions;
        }
        transactions.Add((first, marker.LastOffset, outcome));
    }

    private static ControlRecordType? MarkerType(ReadOnlySpan<byte> batch)
    {
        var records = RecordBatchReader.ReadRecords(batch);
        return records.Count == 1 && records[0].Key is { } key && ControlRecord.TryReadType(key, out var type) ? type : null;
    }
}
