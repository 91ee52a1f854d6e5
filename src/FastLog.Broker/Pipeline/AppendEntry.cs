using System.Threading.Tasks.Sources;
using FastLog.Broker.Partitions;
using Microsoft.Extensions.ObjectPool;
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
/// Pooled: <see cref="Rent"/> one per append, await <see cref="Outcome"/> exactly once, and reading the outcome
/// puts it back, so an append allocates no completion in steady state.
/// </summary>
public sealed class AppendCompletion : IValueTaskSource<AppendOutcome>, IThreadPoolWorkItem
{
    private static readonly ObjectPool<AppendCompletion> Pool =
        new DefaultObjectPool<AppendCompletion>(new DefaultPooledObjectPolicy<AppendCompletion>(), maximumRetained: 4096);

    private ManualResetValueTaskSourceCore<AppendOutcome> _core; // continuations run where it completes
    private AppendOutcome _pending;

    public static AppendCompletion Rent() => Pool.Get();

    /// <summary>The outcome, to be awaited once; the completion goes back to the pool when it is read.</summary>
    public ValueTask<AppendOutcome> Outcome => new(this, _core.Version);

    /// <summary>Completes on this thread: the awaiting request goes on here.</summary>
    public void Complete(AppendOutcome outcome) => _core.SetResult(outcome);

    /// <summary>Completes on a thread-pool thread (no allocation: this object is the work item).</summary>
    public void CompleteElsewhere(AppendOutcome outcome)
    {
        _pending = outcome;
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    void IThreadPoolWorkItem.Execute() => _core.SetResult(_pending);

    AppendOutcome IValueTaskSource<AppendOutcome>.GetResult(short token)
    {
        var outcome = _core.GetResult(token);
        _core.Reset();
        _pending = default;
        Pool.Return(this);
        return outcome;
    }

    ValueTaskSourceStatus IValueTaskSource<AppendOutcome>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<AppendOutcome>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
