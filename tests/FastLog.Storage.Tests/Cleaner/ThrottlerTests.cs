using FastLog.Storage.Cleaner;

namespace FastLog.Storage.Tests.Cleaner;

/// <summary>The cleaner's I/O limit on a clock the test moves: the waits it asks for, not how long anything took.</summary>
public sealed class ThrottlerTests
{
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    [Fact]
    public void Bytes_ahead_of_the_rate_are_waited_for_and_time_that_passed_counts()
    {
        var clock = new SteppedClock();
        var throttler = new Throttler(maxBytesPerSecond: 1000, clock);

        var first = throttler.Account(500);
        var second = throttler.Account(500);
        clock.Advance(TimeSpan.FromSeconds(1));
        var third = throttler.Account(500);

        Assert.Equal(TimeSpan.FromSeconds(0.5), first);
        Assert.Equal(TimeSpan.FromSeconds(1), second);
        Assert.Equal(TimeSpan.FromSeconds(0.5), third);
    }

    [Fact]
    public void An_idle_spell_does_not_bank_a_burst()
    {
        var clock = new SteppedClock();
        var throttler = new Throttler(maxBytesPerSecond: 1000, clock);
        throttler.Account(10);

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(2), throttler.Account(2000));
    }

    [Fact]
    public void Kafkas_default_rate_never_waits()
    {
        var throttler = new Throttler(double.MaxValue, new SteppedClock());

        Assert.Equal(TimeSpan.Zero, throttler.Account(long.MaxValue / 2));
    }
}
