using System.Collections.Concurrent;
using FastLog.Broker.Timers;

namespace FastLog.Broker.Tests.Timers;

public sealed class TimerWheelTests
{
    [Fact]
    public void Tasks_run_once_not_before_their_deadline_across_levels_of_the_wheel()
    {
        // 1 ms ticks and 8 buckets: deadlines up to 300 ms cross three levels of the hierarchy.
        using var wheel = new TimerWheel(tickMs: 1, wheelSize: 8);
        var fired = new ConcurrentDictionary<int, long>();
        var start = TimerWheel.NowMs;
        var delays = new[] { 0, 1, 5, 7, 8, 9, 30, 63, 64, 65, 100, 300 };
        for (var i = 0; i < delays.Length; i++)
        {
            var index = i;
            wheel.Schedule(start + delays[i], () => fired.AddOrUpdate(index, TimerWheel.NowMs, (_, _) => -1));
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (fired.Count < delays.Length && DateTime.UtcNow < deadline)
        {
            Thread.Yield();
        }

        Assert.Equal(delays.Length, fired.Count);
        for (var i = 0; i < delays.Length; i++)
        {
            Assert.NotEqual(-1, fired[i]); // ran once
            Assert.True(fired[i] >= start + delays[i], $"task {i} ran {start + delays[i] - fired[i]} ms early");
        }
    }

    [Fact]
    public void A_cancelled_task_never_runs_and_leaves_the_wheel()
    {
        using var wheel = new TimerWheel(tickMs: 1, wheelSize: 8);
        var ran = 0;
        var cancelled = wheel.Schedule(TimerWheel.NowMs + 20, () => Interlocked.Increment(ref ran));
        var marker = new ManualResetEventSlim();
        wheel.Schedule(TimerWheel.NowMs + 60, marker.Set);

        cancelled.Cancel();

        Assert.True(marker.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, ran);
        Assert.False(cancelled.IsPending);
        Assert.Equal(0, wheel.Pending);
    }

    [Fact]
    public void Ten_thousand_pending_deadlines_need_no_thread_each()
    {
        using var wheel = new TimerWheel(tickMs: 10, wheelSize: 512);
        var threadsBefore = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        var tasks = Enumerable.Range(0, 10_000).Select(i => wheel.Schedule(TimerWheel.NowMs + 60_000 + i, () => { })).ToList();

        Assert.Equal(10_000, wheel.Pending);
        Assert.InRange(System.Diagnostics.Process.GetCurrentProcess().Threads.Count - threadsBefore, int.MinValue, 2);
        tasks.ForEach(t => t.Cancel());
    }

    [Fact]
    public void A_reused_target_is_expired_only_under_the_token_it_still_waits_with()
    {
        using var wheel = new TimerWheel(tickMs: 1, wheelSize: 8);
        var target = new ReusedTarget { Current = 1 };
        wheel.Schedule(TimerWheel.NowMs + 20, target, token: 1);
        target.Current = 2; // wait 1 ended early, wait 2 began: wait 1's entry is still on the wheel
        wheel.Schedule(TimerWheel.NowMs + 40, target, token: 2);

        // Wait 1's deadline comes first: once wait 2 expired, wait 1's entry was reached and must have been dropped.
        Assert.True(target.Expiry.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal([2L], target.Expired);
    }

    [Fact]
    public void Abandoned_entries_are_dropped_from_their_buckets_once_they_outnumber_the_live_ones()
    {
        using var wheel = new TimerWheel(tickMs: 10, wheelSize: 512);
        var abandoned = new ReusedTarget { Current = -1 };
        var live = new ReusedTarget { Current = 1 };
        wheel.Schedule(TimerWheel.NowMs + 100, live, token: 1);
        for (var i = 0; i < 5_000; i++)
        {
            // Long polls of a minute answered at once: their entries would stay a minute without the purge.
            wheel.Schedule(TimerWheel.NowMs + 60_000 + i, abandoned, token: i);
            wheel.Abandoned();
        }

        Assert.InRange(wheel.Entries, 1, 1_024);
        Assert.True(live.Expiry.Wait(TimeSpan.FromSeconds(30)));
        Assert.Equal([1L], live.Expired);
        Assert.Empty(abandoned.Expired);
    }

    /// <summary>A pooled waiter: pending only under the token of its current wait.</summary>
    private sealed class ReusedTarget : ITimerTarget
    {
        private readonly ConcurrentQueue<long> _expired = new();

        public long Current { get; set; }
        public ManualResetEventSlim Expiry { get; } = new();
        public long[] Expired => [.. _expired];

        public bool IsPending(long token) => token == Current;

        public void Expire(long token)
        {
            _expired.Enqueue(token);
            Expiry.Set();
        }
    }
}
