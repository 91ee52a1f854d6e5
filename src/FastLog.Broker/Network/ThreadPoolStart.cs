using System.Threading.Tasks.Sources;

namespace FastLog.Broker.Network;

/// <summary>
/// Starts a connection's requests (other than produce) on the thread pool, one at a time, with one reusable object
/// per connection: it is the work item and the source of the <see cref="ValueTask{ProcessedRequest}"/> the read
/// loop awaits, where Task.Factory.StartNew with a lambda allocated a closure and a task per request.
/// </summary>
internal sealed class ThreadPoolStart(Func<ReadOnlyMemory<byte>, CancellationToken, ProcessedRequest> start)
    : IThreadPoolWorkItem, IValueTaskSource<ProcessedRequest>
{
    private ManualResetValueTaskSourceCore<ProcessedRequest> _core; // the read loop goes on on the pool thread
    private ReadOnlyMemory<byte> _frame;
    private CancellationToken _cancellation;

    /// <summary>Queues the start of <paramref name="frame"/>; await the result before the next call.</summary>
    public ValueTask<ProcessedRequest> Run(ReadOnlyMemory<byte> frame, CancellationToken cancellation)
    {
        _frame = frame;
        _cancellation = cancellation;
        var version = _core.Version;
        // Unsafe: no ExecutionContext flows to the request (nothing in the broker keeps state in an AsyncLocal).
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return new ValueTask<ProcessedRequest>(this, version);
    }

    void IThreadPoolWorkItem.Execute()
    {
        var frame = _frame;
        _frame = default;
        _core.SetResult(start(frame, _cancellation)); // start never throws: a failure is in its result
    }

    ProcessedRequest IValueTaskSource<ProcessedRequest>.GetResult(short token)
    {
        var result = _core.GetResult(token);
        _core.Reset();
        return result;
    }

    ValueTaskSourceStatus IValueTaskSource<ProcessedRequest>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<ProcessedRequest>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
