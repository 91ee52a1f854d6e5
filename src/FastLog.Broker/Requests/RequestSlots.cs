namespace FastLog.Broker.Requests;

/// <summary>
/// The topics and partitions of a pooled request (produce, fetch) in wire order: the partitions back to back in one
/// array of the exchange's per-partition struct, each topic a slice of it. Kept across the exchange's uses, so a
/// request allocates nothing once the arrays have grown to its size; arrays grown past
/// <see cref="MaxRetained"/> partitions are not kept (a request may name millions, 8 bytes each on the wire).
/// </summary>
internal sealed class RequestSlots<T> where T : struct
{
    public const int MaxRetained = 1024;

    private readonly List<TopicSlice> _topics = [];
    private T[] _partitions = new T[4];
    private int _count;

    public int TopicCount => _topics.Count;
    public TopicSlice Topic(int index) => _topics[index];
    public int PartitionCount => _count;

    /// <summary>A partition's slot, by position in the request (topics' partitions back to back).</summary>
    public ref T Partition(int index) => ref _partitions[index];

    /// <summary>A topic whose <paramref name="partitions"/> partitions the next <see cref="AddPartition"/> calls add.</summary>
    public void AddTopic(string name, int partitions) => _topics.Add(new TopicSlice(name, _count, partitions));

    /// <summary>The next partition's slot, cleared.</summary>
    public ref T AddPartition()
    {
        if (_count == _partitions.Length)
        {
            Array.Resize(ref _partitions, _count * 2);
        }
        return ref _partitions[_count++];
    }

    /// <summary>Empty again; nothing of the request (buffers, completions, segments) stays reachable from the pool.</summary>
    public void Clear()
    {
        _topics.Clear();
        Array.Clear(_partitions, 0, _count);
        _count = 0;
        if (_partitions.Length > MaxRetained)
        {
            _partitions = new T[4];
        }
        if (_topics.Capacity > MaxRetained)
        {
            _topics.Capacity = 4;
        }
    }
}

/// <summary>A topic of a request and its partitions' positions in the request's slots.</summary>
internal readonly record struct TopicSlice(string Name, int First, int Count);
