using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using FastLog.Broker.Network;
using FastLog.Broker.Pipeline;
using FastLog.Protocol.Messages;
using FastLog.Storage;
using Microsoft.Extensions.ObjectPool;

namespace FastLog.Broker.Requests;

/// <summary>
/// One produce request from its decoding to its response, in a pooled object, so that a request allocates
/// nothing in steady state: the decoded fields (record batches stay slices of the request buffer, topic names are
/// the strings of earlier requests), each partition's result, the wait for the appends and the encoded response.
/// It reads Produce v0-v7 (none is flexible) and writes the response at the same version, field for field as the
/// generated <see cref="ProduceResponse"/> does (the tests compare them).
/// The wait is not an async method: the request starts on the socket's thread and its appends complete on a
/// writer or pool thread, so a state machine per request would be allocated each time (a pooled one is taken on
/// one thread and given back on another, where its pool's per-thread slot never serves it). This object walks the
/// completions with one cached continuation and is itself the source of the request's
/// <see cref="ValueTask{Response}"/>. It goes back to the pool once its response is sent
/// (<see cref="Release"/>), or when the wait's result is read if there is no response (acks=0).
/// </summary>
internal sealed class ProduceExchange : IMessage, IValueTaskSource<Response>, IReleasableMessage
{
    private static readonly ObjectPool<ProduceExchange> Pool =
        new DefaultObjectPool<ProduceExchange>(new DefaultPooledObjectPolicy<ProduceExchange>(), maximumRetained: 1024);

    private static readonly PartitionReader<PartitionWork> ReadPartition = static (ref ProtocolReader reader, short _) => new PartitionWork
    {
        Index = reader.ReadInt32(),
        Records = reader.ReadNullableMemory(flexible: false),
        BaseOffset = -1,
        LogAppendTimeMs = -1,
        LogStartOffset = -1,
    };

    private readonly RequestSlots<PartitionWork> _slots = new();
    private readonly Action _resume;
    private ManualResetValueTaskSourceCore<Response> _core; // continuations run where the last append completes
    private ConfiguredValueTaskAwaitable<AppendOutcome>.ConfiguredValueTaskAwaiter _waitingOn;
    private int _next;
    private bool _answer;

    public ProduceExchange() => _resume = Resume;

    /// <summary>A transactional id was sent (its value is not needed: transactions are refused).</summary>
    public bool Transactional { get; private set; }
    public short Acks { get; private set; }
    public int TimeoutMs { get; private set; }
    public int TopicCount => _slots.TopicCount;
    public TopicSlice Topic(int index) => _slots.Topic(index);

    /// <summary>A partition's fields and result, by position in the request (topics' partitions back to back).</summary>
    public ref PartitionWork Partition(int index) => ref _slots.Partition(index);

    public struct PartitionWork
    {
        public int Index;
        public ReadOnlyMemory<byte>? Records;
        public short ErrorCode;
        public long BaseOffset;
        public long LogAppendTimeMs;
        public long LogStartOffset;
        public AppendCompletion? Completion;
        public bool LogAppendTime;
        public long NowMs;
    }

    /// <summary>A decoded request; a malformed body throws <see cref="ProtocolException"/> and nothing is kept.</summary>
    public static ProduceExchange Decode(ReadOnlyMemory<byte> body, short version) => PooledRequest.Decode(Pool, body, version);

    public void Read(ref ProtocolReader reader, short version)
    {
        if (ProduceRequest.IsFlexible(version) || version > ProduceRequest.HighestVersion)
        {
            throw new ProtocolException($"Produce v{version} is not one this codec reads (v0-v{ProduceRequest.HighestVersion})");
        }
        Transactional = version >= 3 && reader.TryReadStringBytes(flexible: false, out _);
        Acks = reader.ReadInt16();
        TimeoutMs = reader.ReadInt32();
        _slots.Read(ref reader, version, ReadPartition, "TopicData", "PartitionData");
    }

    /// <summary>The response at the request's version: what <see cref="ProduceResponse"/> would write.</summary>
    public void Write(ProtocolWriter writer, short version)
    {
        writer.WriteArrayCount(_slots.TopicCount, flexible: false);
        for (var t = 0; t < _slots.TopicCount; t++)
        {
            var topic = _slots.Topic(t);
            writer.WriteString(topic.Name, flexible: false);
            writer.WriteArrayCount(topic.Count, flexible: false);
            for (var i = topic.First; i < topic.First + topic.Count; i++)
            {
                ref var partition = ref _slots.Partition(i);
                writer.WriteInt32(partition.Index);
                writer.WriteInt16(partition.ErrorCode);
                writer.WriteInt64(partition.BaseOffset);
                if (version >= 2)
                {
                    writer.WriteInt64(partition.LogAppendTimeMs);
                }
                if (version >= 5)
                {
                    writer.WriteInt64(partition.LogStartOffset);
                }
            }
        }
        if (version >= 1)
        {
            writer.WriteInt32(0); // throttle_time_ms: no quotas
        }
    }

    /// <summary>
    /// Waits for every partition that was published (has a completion); then the response is this object, or none
    /// when <paramref name="answer"/> is false (acks=0).
    /// </summary>
    public ValueTask<Response> Answer(bool answer)
    {
        _answer = answer;
        _next = 0;
        var version = _core.Version;
        Advance();
        return new ValueTask<Response>(this, version);
    }

    /// <summary>The response is sent (or never will be): this object is free.</summary>
    public void Release()
    {
        Reset();
        Pool.Return(this);
    }

    private void Advance()
    {
        try
        {
            for (; _next < _slots.PartitionCount; _next++)
            {
                if (_slots.Partition(_next).Completion is not { } completion)
                {
                    continue;
                }
                var awaiter = completion.Outcome.ConfigureAwait(false).GetAwaiter();
                if (!awaiter.IsCompleted)
                {
                    _waitingOn = awaiter;
                    awaiter.UnsafeOnCompleted(_resume);
                    return;
                }
                Fill(ref _slots.Partition(_next), awaiter.GetResult());
            }
        }
        catch (Exception e)
        {
            _core.SetException(e);
            return;
        }
        _core.SetResult(_answer ? Response.Of(this) : Response.None);
    }

    private void Resume()
    {
        var awaiter = _waitingOn;
        _waitingOn = default;
        try
        {
            Fill(ref _slots.Partition(_next++), awaiter.GetResult());
        }
        catch (Exception e)
        {
            _core.SetException(e);
            return;
        }
        Advance();
    }

    private static void Fill(ref PartitionWork partition, AppendOutcome outcome)
    {
        partition.Completion = null; // read once: it went back to its own pool
        partition.ErrorCode = (short)outcome.Error;
        partition.LogStartOffset = outcome.LogStartOffset;
        if (outcome.Error == ErrorCode.None && outcome.First is { } first)
        {
            partition.BaseOffset = first.BaseOffset;
            // A duplicate reports the original append's time, as Kafka does.
            partition.LogAppendTimeMs = partition.LogAppendTime ? (first.Status == AppendStatus.Duplicate ? first.Timestamp : partition.NowMs) : -1;
        }
    }

    private void Reset()
    {
        _slots.Clear();
        _core.Reset();
    }

    Response IValueTaskSource<Response>.GetResult(short token)
    {
        var response = _core.GetResult(token);
        if (!_answer)
        {
            Release(); // nothing will be encoded
        }
        return response;
    }

    ValueTaskSourceStatus IValueTaskSource<Response>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<Response>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
