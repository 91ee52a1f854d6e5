using FastLog.Broker.Partitions;
using FastLog.Protocol.Messages;
using FastLog.Storage;

namespace FastLog.Broker.Pipeline;

/// <summary>
/// A ring slot: one partition's batches from one produce request, and where to report the outcome.
/// The batch bytes stay in the request buffer (no copy); the request waits for its completion before the
/// buffer goes back to the pool.
/// </summary>
public sealed class AppendEntry
{
    public Partition? Partition { get; set; }
    public Memory<byte> Records { get; set; }
    public bool LogAppendTime { get; set; }
    public long NowMs { get; set; }
    public AppendCompletion? Completion { get; set; }

    public void Clear()
    {
        Partition = null;
        Records = default;
        Completion = null;
    }
}

/// <summary>What the writer reports for one entry: the first batch's outcome, or the refusal that stopped it.</summary>
public readonly record struct AppendOutcome(AppendResult? First, ErrorCode Error, long LogStartOffset);

/// <summary>Completed by the writer thread once the entry's pass is flushed; continuations run elsewhere.</summary>
public sealed class AppendCompletion() : TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
