namespace FastLog.Broker.Pipeline;

/// <summary>
/// A Disruptor-style ring: preallocated entries on a power-of-two ring, producers claim sequences with one
/// atomic add and publish them by marking their slot; one consumer takes every published entry in order.
/// A full ring refuses the claim (<see cref="TryNext"/>), which is the backpressure signal: the caller waits
/// instead of the ring growing.
/// </summary>
public sealed class RingBuffer<T> where T : class
{
    private readonly T[] _entries;
    private readonly int[] _published;
    private readonly int _mask;
    private readonly int _indexShift;
    private readonly IWaitStrategy _waitStrategy;
    private PaddedLong _gatingCache;

    public RingBuffer(int size, Func<T> factory, IWaitStrategy waitStrategy)
    {
        if (size < 1 || (size & (size - 1)) != 0)
        {
            throw new ArgumentException($"ring size must be a power of two, got {size}", nameof(size));
        }
        _entries = new T[size];
        for (var i = 0; i < size; i++)
        {
            _entries[i] = factory();
        }
        _published = new int[size];
        Array.Fill(_published, -1);
        _mask = size - 1;
        _indexShift = System.Numerics.BitOperations.Log2((uint)size);
        _waitStrategy = waitStrategy;
        _gatingCache.Write(Sequence.Initial);
    }

    public int Size => _entries.Length;

    /// <summary>
    /// The highest sequence claimed by any producer. Claimed is not yet published: the consumer waits for the
    /// cursor, then reads the published flags up to it (<see cref="HighestPublished"/>).
    /// </summary>
    public Sequence Cursor { get; } = new();

    /// <summary>What the consumer has processed; producers may not overwrite entries past it.</summary>
    public Sequence Gating { get; } = new();

    public IWaitStrategy WaitStrategy => _waitStrategy;

    /// <summary>Entries claimed but not yet processed: the ring's fill level, a metric.</summary>
    public long Occupancy => Cursor.Value - Gating.Value;

    public T this[long sequence] => _entries[sequence & _mask];

    /// <summary>Claims the next slot, or returns false when the ring is full (the consumer is a whole ring behind).</summary>
    public bool TryNext(out long sequence)
    {
        while (true)
        {
            var current = Cursor.Value;
            var next = current + 1;
            var wrapPoint = next - _entries.Length;
            if (wrapPoint > _gatingCache.Read())
            {
                var gating = Gating.Value;
                _gatingCache.Write(gating);
                if (wrapPoint > gating)
                {
                    sequence = -1;
                    return false;
                }
            }
            if (Cursor.CompareExchange(next, current))
            {
                sequence = next;
                return true;
            }
        }
    }

    /// <summary>Makes the entry at <paramref name="sequence"/> visible to the consumer.</summary>
    public void Publish(long sequence)
    {
        // The flag is the lap number of the sequence: a slot is available for sequence s when it holds s's lap.
        // The release write orders the entry's contents before the flag for the consumer's acquire read.
        Volatile.Write(ref _published[sequence & _mask], (int)(sequence >> _indexShift));
        _waitStrategy.SignalAllWhenBlocking();
    }

    /// <summary>The highest sequence from <paramref name="lowerBound"/> up to which every slot is published.</summary>
    public long HighestPublished(long lowerBound, long availableCursor)
    {
        for (var sequence = lowerBound; sequence <= availableCursor; sequence++)
        {
            if (Volatile.Read(ref _published[sequence & _mask]) != (int)(sequence >> _indexShift))
            {
                return sequence - 1;
            }
        }
        return availableCursor;
    }
}
