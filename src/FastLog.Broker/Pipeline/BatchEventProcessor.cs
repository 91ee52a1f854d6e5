namespace FastLog.Broker.Pipeline;

/// <summary>Handles the entries of one pass; the struct type parameter lets the JIT devirtualise the calls.</summary>
public interface IBatchHandler<in T>
{
    /// <summary>One entry of the batch; <paramref name="endOfBatch"/> is true on the last one of the pass.</summary>
    void OnEvent(T entry, long sequence, bool endOfBatch);
}

/// <summary>
/// The ring's one consumer: waits for the next sequence, takes everything published up to the cursor in one
/// pass, hands it to the handler, and only then moves the gating sequence — so the handler can act once per
/// pass (one write, one flush) for many entries: the shape of a group commit. Entries published while the pass
/// runs join it, up to its maximum, before its last entry is handed over.
/// </summary>
public sealed class BatchEventProcessor<T, THandler>(RingBuffer<T> ring, THandler handler, int maxBatchEntries = int.MaxValue)
    where T : class
    where THandler : IBatchHandler<T>
{
    private THandler _handler = handler;

    /// <summary>Entries per pass, summed, and passes: their ratio is the mean batch size (a metric).</summary>
    public long EntriesProcessed => Volatile.Read(ref _entries);
    public long Passes => Volatile.Read(ref _passes);

    private long _entries;
    private long _passes;

    public void Run(CancellationToken cancellation)
    {
        var next = ring.Gating.Value + 1;
        try
        {
            while (!cancellation.IsCancellationRequested)
            {
                var available = ring.WaitStrategy.WaitFor(next, ring.Cursor, cancellation);
                // A pass ends after maxBatchEntries even when more are ready: it bounds how long the first entry
                // of a pass waits for its flush.
                var highest = ring.HighestPublished(next, Math.Min(available, next + maxBatchEntries - 1));
                if (highest < next)
                {
                    Thread.SpinWait(8); // claimed but not yet published: the producer is between its two steps
                    continue;
                }
                var limit = next + maxBatchEntries - 1;
                for (var sequence = next; sequence <= highest; sequence++)
                {
                    var endOfBatch = sequence == highest;
                    if (endOfBatch && highest < limit)
                    {
                        // Entries published while this pass ran join it before it ends (and flushes): a larger
                        // group commit, at no wait.
                        var more = ring.HighestPublished(highest + 1, Math.Min(ring.Cursor.Value, limit));
                        if (more > highest)
                        {
                            highest = more;
                            endOfBatch = false;
                        }
                    }
                    _handler.OnEvent(ring[sequence], sequence, endOfBatch);
                }
                Interlocked.Add(ref _entries, highest - next + 1);
                Interlocked.Increment(ref _passes);
                ring.Gating.Value = highest;
                next = highest + 1;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
