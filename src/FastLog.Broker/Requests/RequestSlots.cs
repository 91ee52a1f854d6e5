using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>Decodes one partition's fields of a request at <paramref name="version"/>.</summary>
internal delegate T PartitionReader<T>(ref ProtocolReader reader, short version);

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
    private readonly TopicNameCache _topicNames = new();
    private T[] _partitions = new T[4];
    private int _count;

    public int TopicCount => _topics.Count;
    public TopicSlice Topic(int index) => _topics[index];
    public int PartitionCount => _count;

    /// <summary>A partition's slot, by position in the request (topics' partitions back to back).</summary>
    public ref T Partition(int index) => ref _partitions[index];

    /// <summary>
    /// Reads the request's array of topics, each a name and an array of partitions that
    /// <paramref name="readPartition"/> decodes (non-flexible versions); a null array is malformed.
    /// </summary>
    public void Read(ref ProtocolReader reader, short version, PartitionReader<T> readPartition, string topicsField, string partitionsField)
    {
        var topics = reader.ReadArrayCount(flexible: false);
        if (topics < 0)
        {
            throw new ProtocolException($"{topicsField} must not be null");
        }
        for (var t = 0; t < topics; t++)
        {
            var name = _topicNames.Read(ref reader);
            var partitions = reader.ReadArrayCount(flexible: false);
            if (partitions < 0)
            {
                throw new ProtocolException($"{partitionsField} must not be null");
            }
            _topics.Add(new TopicSlice(name, _count, partitions));
            for (var p = 0; p < partitions; p++)
            {
                if (_count == _partitions.Length)
                {
                    Array.Resize(ref _partitions, _count * 2);
                }
                _partitions[_count++] = readPartition(ref reader, version);
            }
        }
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
