using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FastLog.Broker.Pipeline;

/// <summary>
/// A sequence number alone on its cache line: producers and the consumer each write their own, and without
/// the padding they would invalidate each other's line on every update (false sharing).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct PaddedLong
{
    [FieldOffset(64)]
    private long _value;

    /// <summary>Acquire read: what was written before the matching release write is visible after it.</summary>
    public readonly long Read() => Volatile.Read(ref Unsafe.AsRef(in _value));

    /// <summary>Release write: everything written before it is visible to a reader that sees the new value.</summary>
    public void Write(long value) => Volatile.Write(ref _value, value);

    public long Increment() => Interlocked.Increment(ref _value);

    public long Add(long delta) => Interlocked.Add(ref _value, delta);

    public bool CompareExchange(long value, long expected) => Interlocked.CompareExchange(ref _value, value, expected) == expected;
}

/// <summary>A padded sequence as a reference type, so a ring and its consumer can share it.</summary>
public sealed class Sequence(long initial = Sequence.Initial)
{
    public const long Initial = -1;

    private PaddedLong _value = Create(initial);

    public long Value
    {
        get => _value.Read();
        set => _value.Write(value);
    }

    public bool CompareExchange(long value, long expected) => _value.CompareExchange(value, expected);

    private static PaddedLong Create(long initial)
    {
        var padded = default(PaddedLong);
        padded.Write(initial);
        return padded;
    }
}
