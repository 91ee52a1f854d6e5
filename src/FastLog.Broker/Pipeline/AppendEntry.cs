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

/// <summary>
/// Completed by the writer once the entry's pass is flushed. Continuations (the rest of the produce request and
/// the send of its response) run on the thread that completes it: the writer itself for a small pass, where a
/// hand-off to another thread would cost more than the work (each wake-up is a context switch, and on a busy
/// small machine a wait for a core); a thread-pool thread, queued by <see cref="CompleteElsewhere"/>, for a
/// large pass, so the writer goes on to its next pass.
/// </summary>
public sealed class AppendCompletion() : TaskCompletionSource<AppendOutcome>(TaskCreationOptions.None), IThreadPoolWorkItem
{
    private AppendOutcome _outcome;

    /// <summary>Completes on a thread-pool thread (no allocation: this object is the work item).</summary>
    public void CompleteElsewhere(AppendOutcome outcome)
    {
        _outcome = outcome;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute() => TrySetResult(_outcome);
}
