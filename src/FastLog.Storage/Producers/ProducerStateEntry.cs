namespace FastLog.Storage.Producers;

/// <summary>
/// One producer id's state in one partition: its current epoch and its last batches, newest last.
/// Five batches are kept because an idempotent producer has at most five requests in flight per partition
/// (max.in.flight.requests.per.connection ≤ 5), so any retry it can send is one of them.
/// </summary>
public sealed class ProducerStateEntry
{
    public const int BatchesToRetain = 5;

    private readonly BatchMetadata[] _batches = new BatchMetadata[BatchesToRetain];
    private int _count;

    public ProducerStateEntry(long producerId, short epoch)
    {
        ProducerId = producerId;
        Epoch = epoch;
    }

    public long ProducerId { get; }
    public short Epoch { get; private set; }

    /// <summary>The retained batches, oldest first.</summary>
    public ReadOnlySpan<BatchMetadata> Batches => _batches.AsSpan(0, _count);

    public int LastSequence => _count == 0 ? -1 : _batches[_count - 1].LastSequence;
    public long LastOffset => _count == 0 ? -1 : _batches[_count - 1].LastOffset;

    /// <summary>
    /// When the producer last appended, by the broker's clock: producer.id.expiration.ms counts from here, so
    /// a producer writing with old CreateTime timestamps does not lose its state while it is still active.
    /// </summary>
    public long LastTimestamp => _count == 0 ? -1 : _batches[_count - 1].Timestamp;

    /// <summary>The retained batch with exactly this sequence range, if the epoch is the current one.</summary>
    public BatchMetadata? FindDuplicate(short epoch, int firstSequence, int lastSequence)
    {
        if (epoch != Epoch)
        {
            return null;
        }
        foreach (var batch in Batches)
        {
            if (batch.FirstSequence == firstSequence && batch.LastSequence == lastSequence)
            {
                return batch;
            }
        }
        return null;
    }

    /// <summary>An independent copy, to put back if the batches recorded after it are dropped.</summary>
    public ProducerStateEntry Copy()
    {
        var copy = new ProducerStateEntry(ProducerId, Epoch) { _count = _count };
        _batches.AsSpan().CopyTo(copy._batches);
        return copy;
    }

    /// <summary>Records an appended batch. A new epoch starts a new sequence space, so older batches are forgotten.</summary>
    public void Add(short epoch, BatchMetadata batch)
    {
        if (epoch != Epoch)
        {
            Epoch = epoch;
            _count = 0;
        }
        if (_count == BatchesToRetain)
        {
            Array.Copy(_batches, 1, _batches, 0, BatchesToRetain - 1);
            _count--;
        }
        _batches[_count++] = batch;
    }
}
